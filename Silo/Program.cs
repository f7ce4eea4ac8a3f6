// Replaced by the real headless silo host in the foundation work.
return 0;
