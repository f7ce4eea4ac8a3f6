-- Alerts and their webhook outbox (docs/alerts.md); the same columns as on PostgreSQL. Times are
-- Unix milliseconds (UTC) on both engines, so that every query but the claim is one SQL text.
CREATE TABLE IF NOT EXISTS alerts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    occurred_at INTEGER NOT NULL,
    key_id      TEXT,
    team_id     TEXT,
    details     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS alerts_type_idx ON alerts (type, id);

-- One row per alert per webhook. A row is claimed by setting lease_owner/lease_until; only the
-- lease holder writes the attempt's result.
CREATE TABLE IF NOT EXISTS alert_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id        TEXT    NOT NULL,
    webhook         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    lease_owner     TEXT,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (alert_id, webhook)
);

CREATE INDEX IF NOT EXISTS alert_outbox_due_idx ON alert_outbox (next_attempt_at, id) WHERE state = 'pending';
