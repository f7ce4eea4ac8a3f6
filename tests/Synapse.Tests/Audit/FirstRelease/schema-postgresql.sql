-- The audit log (docs/audit.md). Append-only: the application writes as synapse_audit_writer,
-- which may only INSERT and SELECT, and triggers refuse UPDATE, DELETE and TRUNCATE even for the
-- owner. A superuser can still get past both; the hash chain and the signed checkpoints outside
-- the database are what catch that.
CREATE TABLE IF NOT EXISTS audit_events (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          uuid        NOT NULL,
    partition_id      text        NOT NULL,
    partition_seq     bigint      NOT NULL,
    kind              text        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    request_id        text,
    key_id            text,
    team_id           text,
    model             text,
    provider          text,
    provider_location text,
    outcome           text        NOT NULL,
    http_status       integer,
    dlp_categories    text,
    dlp_actions       text,
    prompt_sha256     text,
    response_sha256   text,
    prompt_tokens     integer,
    completion_tokens integer,
    latency_ms        bigint,
    actor             text,
    action            text,
    target            text,
    prev_hash         text        NOT NULL,
    row_hash          text        NOT NULL,
    CONSTRAINT audit_events_event_id_key UNIQUE (event_id),
    CONSTRAINT audit_events_partition_seq_key UNIQUE (partition_id, partition_seq)
);

CREATE INDEX IF NOT EXISTS audit_events_key_idx ON audit_events (key_id, id) WHERE key_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_events_team_idx ON audit_events (team_id, id) WHERE team_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_events_outcome_idx ON audit_events (outcome, id);
CREATE INDEX IF NOT EXISTS audit_events_time_idx ON audit_events (occurred_at);

CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
END
$$;

CREATE OR REPLACE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE OR REPLACE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Roles belong to the whole server, so another database's installer may create it at the same time.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'synapse_audit_writer') THEN
        BEGIN
            CREATE ROLE synapse_audit_writer NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    -- The owner's connections switch to the role (SET LOCAL ROLE) for every audit write.
    IF NOT pg_has_role(current_user, 'synapse_audit_writer', 'MEMBER') THEN
        EXECUTE format('GRANT synapse_audit_writer TO %I', current_user);
    END IF;
END
$$;

REVOKE ALL ON audit_events FROM PUBLIC;
REVOKE ALL ON audit_events FROM synapse_audit_writer;
GRANT SELECT, INSERT ON audit_events TO synapse_audit_writer;
GRANT USAGE ON SEQUENCE audit_events_id_seq TO synapse_audit_writer;
