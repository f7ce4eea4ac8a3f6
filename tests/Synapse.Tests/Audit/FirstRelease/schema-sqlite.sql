-- The audit log (docs/audit.md), same columns as on PostgreSQL. Triggers refuse UPDATE and
-- DELETE; whoever can drop them can change the file, and the hash chain and the signed
-- checkpoints outside the database are what catch that.
CREATE TABLE IF NOT EXISTS audit_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id          TEXT    NOT NULL UNIQUE,
    partition_id      TEXT    NOT NULL,
    partition_seq     INTEGER NOT NULL,
    kind              TEXT    NOT NULL,
    occurred_at       TEXT    NOT NULL,
    request_id        TEXT,
    key_id            TEXT,
    team_id           TEXT,
    model             TEXT,
    provider          TEXT,
    provider_location TEXT,
    outcome           TEXT    NOT NULL,
    http_status       INTEGER,
    dlp_categories    TEXT,
    dlp_actions       TEXT,
    prompt_sha256     TEXT,
    response_sha256   TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    latency_ms        INTEGER,
    actor             TEXT,
    action            TEXT,
    target            TEXT,
    prev_hash         TEXT    NOT NULL,
    row_hash          TEXT    NOT NULL,
    UNIQUE (partition_id, partition_seq)
);

CREATE INDEX IF NOT EXISTS audit_events_key_idx ON audit_events (key_id, id);
CREATE INDEX IF NOT EXISTS audit_events_team_idx ON audit_events (team_id, id);
CREATE INDEX IF NOT EXISTS audit_events_outcome_idx ON audit_events (outcome, id);
CREATE INDEX IF NOT EXISTS audit_events_time_idx ON audit_events (occurred_at);

CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: DELETE is not allowed');
END;
