-- Grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2.
--
-- The provider binds @ServiceId, @GrainTypeString (the grain type and state name), @GrainIdN0,
-- @GrainIdN1 (the numeric or Guid key, zero for string keys), @GrainIdExtensionString (the key
-- extension, or the whole key for string keys; may be NULL), @GrainStateVersion (the ETag the
-- grain holds, NULL before its first write), @PayloadBinary, and two hashes (@GrainIdHash,
-- @GrainTypeHash) that this schema does not need: it keys rows by the identity itself, so hash
-- collisions cannot occur.
--
-- Optimistic concurrency: version is the ETag. A write or clear must present the current version
-- and bumps it; anything else matches no row, returns no row, and the provider raises
-- InconsistentStateException. Clearing keeps the row (payload NULL, version bumped) rather than
-- deleting it, so a stale writer still holding an old ETag cannot resurrect cleared state.
CREATE TABLE IF NOT EXISTS synapse_grain_state
(
    service_id  varchar(150) NOT NULL,
    grain_type  varchar(512) NOT NULL,
    grain_id_n0 bigint       NOT NULL,
    grain_id_n1 bigint       NOT NULL,
    -- NULL (no extension) is stored as '' so that the primary key can cover it.
    grain_key   text         NOT NULL,
    payload     bytea        NULL,
    version     integer      NOT NULL,
    modified_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_synapse_grain_state
        PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
FROM synapse_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '')
$q$),

-- With an ETag: update that exact version. Without one: create the row at version 1, unless a
-- row already exists (another activation wrote first), in which case nothing comes back.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE synapse_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_key = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO synapse_grain_state
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
           COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

('ClearStorageKey', $q$
UPDATE synapse_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version
$q$),

-- Used only with DeleteStateOnClear=true (Synapse keeps it false). The provider treats a returned
-- value equal to the ETag it sent as a conflict, so the deleted version plus one is returned.
('DeleteStorageKey', $q$
DELETE FROM synapse_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
