-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2 on SQLite (all-in-one mode, which
-- uses localhost clustering and so needs no membership tables).
--
-- Same contract and design as the PostgreSQL script: see Sql/PostgreSQL/03-grain-state.sql for the
-- parameters the provider binds and how the version column implements the ETag.
--
-- SQLite cannot put INSERT/UPDATE inside WITH, so a write is two statements in one command: at most
-- one of them can match (one needs @GrainStateVersion set, the other needs it NULL), and the
-- provider reads the rows of every result set, so exactly one NewGrainStateVersion or none comes
-- back. SQLite serialises writers, so each statement's version check is atomic.
-- Quotes inside QueryText are doubled because the text is itself an SQL string literal.
CREATE TABLE IF NOT EXISTS synapse_grain_state
(
    service_id  TEXT    NOT NULL,
    grain_type  TEXT    NOT NULL,
    grain_id_n0 INTEGER NOT NULL,
    grain_id_n1 INTEGER NOT NULL,
    -- NULL (no extension) is stored as '' so that the primary key can cover it.
    grain_key   TEXT    NOT NULL,
    payload     BLOB    NULL,
    version     INTEGER NOT NULL,
    modified_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key)
) WITHOUT ROWID;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM synapse_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '''')
'),

('WriteToStorageKey', '
UPDATE synapse_grain_state
SET payload = @PayloadBinary, version = version + 1,
    modified_at = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;

INSERT INTO synapse_grain_state
    (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
       COALESCE(@GrainIdExtensionString, ''''), @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;
'),

('ClearStorageKey', '
UPDATE synapse_grain_state
SET payload = NULL, version = version + 1,
    modified_at = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version;
'),

('DeleteStorageKey', '
DELETE FROM synapse_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version + 1;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
