-- Usage counts rolled up from audit_events (docs/audit.md, "Usage"): one row per bucket,
-- dimension (all, team, key, model, provider), value and outcome class, for minutes and hours.
-- Derived data, rebuilt from the log when lost; the log stays the evidence. Times are Unix
-- milliseconds (UTC).
CREATE TABLE IF NOT EXISTS usage_minutes (
    dim               TEXT   NOT NULL,
    value             TEXT   NOT NULL,
    bucket            INTEGER NOT NULL,
    class             TEXT   NOT NULL,
    requests          INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_count     INTEGER NOT NULL,
    latency_sum       INTEGER NOT NULL,
    l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL,
    l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL,
    -- Gateway-added time of the completions (detail.gatewayMs), bins over UsageSql.GatewayBounds;
    -- a database from before it gets these columns from UsageSchemaUpgrade.
    gateway_count     INTEGER NOT NULL DEFAULT 0,
    gateway_sum       INTEGER NOT NULL DEFAULT 0,
    g0 INTEGER NOT NULL DEFAULT 0, g1 INTEGER NOT NULL DEFAULT 0, g2 INTEGER NOT NULL DEFAULT 0, g3 INTEGER NOT NULL DEFAULT 0,
    g4 INTEGER NOT NULL DEFAULT 0, g5 INTEGER NOT NULL DEFAULT 0, g6 INTEGER NOT NULL DEFAULT 0, g7 INTEGER NOT NULL DEFAULT 0,
    g8 INTEGER NOT NULL DEFAULT 0, g9 INTEGER NOT NULL DEFAULT 0, g10 INTEGER NOT NULL DEFAULT 0, g11 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, value, bucket, class)
);

CREATE TABLE IF NOT EXISTS usage_hours (
    dim               TEXT   NOT NULL,
    value             TEXT   NOT NULL,
    bucket            INTEGER NOT NULL,
    class             TEXT   NOT NULL,
    requests          INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_count     INTEGER NOT NULL,
    latency_sum       INTEGER NOT NULL,
    l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL,
    l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL, l10 INTEGER NOT NULL, l11 INTEGER NOT NULL,
    -- Gateway-added time of the completions (detail.gatewayMs), bins over UsageSql.GatewayBounds;
    -- a database from before it gets these columns from UsageSchemaUpgrade.
    gateway_count     INTEGER NOT NULL DEFAULT 0,
    gateway_sum       INTEGER NOT NULL DEFAULT 0,
    g0 INTEGER NOT NULL DEFAULT 0, g1 INTEGER NOT NULL DEFAULT 0, g2 INTEGER NOT NULL DEFAULT 0, g3 INTEGER NOT NULL DEFAULT 0,
    g4 INTEGER NOT NULL DEFAULT 0, g5 INTEGER NOT NULL DEFAULT 0, g6 INTEGER NOT NULL DEFAULT 0, g7 INTEGER NOT NULL DEFAULT 0,
    g8 INTEGER NOT NULL DEFAULT 0, g9 INTEGER NOT NULL DEFAULT 0, g10 INTEGER NOT NULL DEFAULT 0, g11 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, value, bucket, class)
);

-- Ranking a dimension's values over a range reads by bucket first.
CREATE INDEX IF NOT EXISTS usage_hours_bucket_idx ON usage_hours (dim, bucket);

-- How far the rollup has come: rows up to rolled_id are counted; pending_id is the newest id seen
-- at pending_at, rolled up once no insert that began before pending_at can still commit.
CREATE TABLE IF NOT EXISTS usage_rollup_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    rolled_id  INTEGER  NOT NULL,
    pending_id INTEGER,
    pending_at INTEGER
);

INSERT INTO usage_rollup_state (id, rolled_id) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
