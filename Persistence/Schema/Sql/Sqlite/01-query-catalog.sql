-- Orleans' ADO.NET providers keep no SQL of their own: at start-up they read every statement they
-- will run from this table (SELECT QueryKey, QueryText FROM OrleansQuery) and refuse to start when
-- a key they need is missing. The name and both column names are fixed by the providers.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
