-- The signed manifest of audit partitions (docs/audit.md): one chain of records, shared by every
-- writer of the cluster, each stating that a partition was opened, had reached a head, was closed,
-- or was sealed as a first-release partition. Its copy outside the database is the checkpoint
-- directory. Append-only like audit_events: the writer role may only INSERT and SELECT, and
-- triggers refuse UPDATE, DELETE and TRUNCATE even for the owner. Times are text in the MAC's
-- own format, so a record reads back exactly as it was signed.
CREATE TABLE IF NOT EXISTS audit_manifest (
    seq           bigint PRIMARY KEY CHECK (seq > 0),
    prev          text   NOT NULL,
    kind          text   NOT NULL,
    partition_id  text   NOT NULL,
    partition_seq bigint NOT NULL,
    head_id       bigint NOT NULL,
    head          text   NOT NULL,
    recorded_at   text   NOT NULL,
    mac           text   NOT NULL
);

CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;

CREATE OR REPLACE TRIGGER audit_manifest_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_manifest
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

CREATE OR REPLACE TRIGGER audit_manifest_no_truncate
    BEFORE TRUNCATE ON audit_manifest
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

REVOKE ALL ON audit_manifest FROM PUBLIC;
REVOKE ALL ON audit_manifest FROM synapse_audit_writer;
GRANT SELECT, INSERT ON audit_manifest TO synapse_audit_writer;
