-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet 10.4.2.
--
-- Tables carry a synapse_ prefix so that a database which already holds Orleans' own published
-- tables (with another shape) can never be mistaken for ours by CREATE TABLE IF NOT EXISTS.
--
-- Parameters are bound by name (@Name) by the provider; result columns are matched by name,
-- case-insensitively, so each query aliases the snake_case columns to the names Orleans reads.
-- Timestamps are sent as UTC DateTime values with DbType.DateTime, which Npgsql writes as timestamptz.

-- One row per cluster (Orleans calls the cluster id "DeploymentId" here). Its version is the
-- membership table's optimistic-concurrency token: every membership change must present the
-- version it read and bumps it by one.
CREATE TABLE IF NOT EXISTS synapse_membership_version
(
    deployment_id varchar(150) NOT NULL,
    version       integer      NOT NULL DEFAULT 0,
    updated_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_synapse_membership_version PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address, port and generation identify it).
CREATE TABLE IF NOT EXISTS synapse_membership
(
    deployment_id   varchar(150) NOT NULL,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NULL,
    suspect_times   text         NULL,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    CONSTRAINT pk_synapse_membership PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT fk_synapse_membership_version FOREIGN KEY (deployment_id)
        REFERENCES synapse_membership_version (deployment_id) ON DELETE CASCADE
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Returns true only for the caller that created the cluster's version row.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO synapse_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM created
$q$),

-- Adds a silo and bumps the table version in one statement: both happen or neither does. The
-- version row's lock serialises concurrent writers, and a writer holding a stale version matches
-- no row, inserts nothing and gets false back.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE synapse_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM synapse_membership
          WHERE deployment_id = @DeploymentId
            AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO synapse_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM inserted
$q$),

-- Changes a silo's status and suspicions under the same version check as an insert.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE synapse_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND EXISTS (
          SELECT 1 FROM synapse_membership
          WHERE deployment_id = @DeploymentId
            AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), updated AS (
    UPDATE synapse_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*) > 0 FROM updated
$q$),

-- Heartbeats do not take part in the version protocol: Orleans never checks their result.
('UpdateIAmAlivetimeKey', $q$
UPDATE synapse_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Both reads start from the version row so that the version comes back even with no silo row.
('MembershipReadRowKey', $q$
SELECT v.deployment_id   AS DeploymentId,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version         AS Version
FROM synapse_membership_version AS v
LEFT JOIN synapse_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.deployment_id   AS DeploymentId,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version         AS Version
FROM synapse_membership_version AS v
LEFT JOIN synapse_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- The foreign key cascades to the silo rows.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM synapse_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Clients look up live gateways (status 3 = Active is passed in as @Status).
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM synapse_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Required by the 10.4.2 provider, but only used when CleanupDefunctSiloEntryKey is absent:
-- removes dead silos (status 6) last heard of before the cutoff passed as @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM synapse_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
  AND start_time < @IAmAliveTime
$q$),

-- Optional in 10.4.2 and preferred when present: Orleans picks the dead rows itself and deletes
-- each one only if it is still exactly the row it read, so a concurrent change is never lost.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM synapse_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND COALESCE(suspect_times, '') = COALESCE(@SuspectTimes, '')
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
