// Replaced by the real front end in the foundation work.
return 0;
