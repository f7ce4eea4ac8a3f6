-- Alerts and their webhook outbox (docs/alerts.md); the same columns as on SQLite. Times are
-- Unix milliseconds (UTC) on both engines, so that every query but the claim is one SQL text.
CREATE TABLE IF NOT EXISTS alerts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id    text    NOT NULL UNIQUE,
    type        text    NOT NULL,
    occurred_at bigint  NOT NULL,
    key_id      text,
    team_id     text,
    details     text    NOT NULL,
    created_at  bigint  NOT NULL
);

CREATE INDEX IF NOT EXISTS alerts_type_idx ON alerts (type, id);

-- One row per alert per webhook. Silos claim rows with FOR UPDATE SKIP LOCKED and a lease
-- (lease_owner/lease_until); only the lease holder writes the attempt's result.
CREATE TABLE IF NOT EXISTS alert_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        text    NOT NULL,
    webhook         text    NOT NULL,
    state           text    NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint  NOT NULL,
    delivered_at    bigint,
    last_status     integer,
    last_error      text,
    lease_owner     text,
    lease_until     bigint,
    created_at      bigint  NOT NULL,
    UNIQUE (alert_id, webhook)
);

CREATE INDEX IF NOT EXISTS alert_outbox_due_idx ON alert_outbox (next_attempt_at, id) WHERE state = 'pending';
