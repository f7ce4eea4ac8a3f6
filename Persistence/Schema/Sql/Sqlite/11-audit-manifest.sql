-- The signed manifest of audit partitions (docs/audit.md), same columns as on PostgreSQL. Its
-- copy outside the database is the checkpoint directory. Triggers refuse UPDATE and DELETE.
CREATE TABLE IF NOT EXISTS audit_manifest (
    seq           INTEGER PRIMARY KEY CHECK (seq > 0),
    prev          TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    partition_id  TEXT    NOT NULL,
    partition_seq INTEGER NOT NULL,
    head_id       INTEGER NOT NULL,
    head          TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    mac           TEXT    NOT NULL
);

CREATE TRIGGER IF NOT EXISTS audit_manifest_no_update BEFORE UPDATE ON audit_manifest
BEGIN
    SELECT RAISE(ABORT, 'audit_manifest is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER IF NOT EXISTS audit_manifest_no_delete BEFORE DELETE ON audit_manifest
BEGIN
    SELECT RAISE(ABORT, 'audit_manifest is append-only: DELETE is not allowed');
END;
