-- Orleans' ADO.NET providers keep no SQL of their own: at start-up they read every statement they
-- will run from this table (SELECT QueryKey, QueryText FROM OrleansQuery) and refuse to start when
-- a key they need is missing. The name and both column names are fixed by the providers.
-- Unquoted identifiers fold to lower case, exactly as the providers' unquoted SELECT does.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT pk_orleans_query PRIMARY KEY (QueryKey)
);
