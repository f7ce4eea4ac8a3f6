-- Usage counts rolled up from audit_events (docs/audit.md, "Usage"): one row per bucket,
-- dimension (all, team, key, model, provider), value and outcome class, for minutes and hours.
-- Derived data, rebuilt from the log when lost; the log stays the evidence. Times are Unix
-- milliseconds (UTC).
CREATE TABLE IF NOT EXISTS usage_minutes (
    dim               text   NOT NULL,
    value             text   NOT NULL,
    bucket            bigint NOT NULL,
    class             text   NOT NULL,
    requests          bigint NOT NULL,
    prompt_tokens     bigint NOT NULL,
    completion_tokens bigint NOT NULL,
    latency_count     bigint NOT NULL,
    latency_sum       bigint NOT NULL,
    l0 bigint NOT NULL, l1 bigint NOT NULL, l2 bigint NOT NULL, l3 bigint NOT NULL, l4 bigint NOT NULL, l5 bigint NOT NULL,
    l6 bigint NOT NULL, l7 bigint NOT NULL, l8 bigint NOT NULL, l9 bigint NOT NULL, l10 bigint NOT NULL, l11 bigint NOT NULL,
    -- Gateway-added time of the completions (detail.gatewayMs), bins over UsageSql.GatewayBounds;
    -- a database from before it gets these columns from UsageSchemaUpgrade.
    gateway_count     bigint NOT NULL DEFAULT 0,
    gateway_sum       bigint NOT NULL DEFAULT 0,
    g0 bigint NOT NULL DEFAULT 0, g1 bigint NOT NULL DEFAULT 0, g2 bigint NOT NULL DEFAULT 0, g3 bigint NOT NULL DEFAULT 0,
    g4 bigint NOT NULL DEFAULT 0, g5 bigint NOT NULL DEFAULT 0, g6 bigint NOT NULL DEFAULT 0, g7 bigint NOT NULL DEFAULT 0,
    g8 bigint NOT NULL DEFAULT 0, g9 bigint NOT NULL DEFAULT 0, g10 bigint NOT NULL DEFAULT 0, g11 bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, value, bucket, class)
);

-- The hours have the minutes' columns, types and primary key.
CREATE TABLE IF NOT EXISTS usage_hours (LIKE usage_minutes INCLUDING ALL);

-- Ranking a dimension's values over a range reads by bucket first.
CREATE INDEX IF NOT EXISTS usage_hours_bucket_idx ON usage_hours (dim, bucket);

-- How far the rollup has come: rows up to rolled_id are counted; pending_id is the newest id seen
-- at pending_at, rolled up once no insert that began before pending_at can still commit.
CREATE TABLE IF NOT EXISTS usage_rollup_state (
    id         integer PRIMARY KEY CHECK (id = 1),
    rolled_id  bigint  NOT NULL,
    pending_id bigint,
    pending_at bigint
);

INSERT INTO usage_rollup_state (id, rolled_id) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
