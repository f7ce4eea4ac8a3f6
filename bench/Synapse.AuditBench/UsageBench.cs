using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.AuditBench;

/// <summary>
/// The console's usage queries over a real 1,000,000-row <c>audit_events</c> table on PostgreSQL
/// and SQLite: every row inside the last 24 hours (the worst case for minute buckets), 200 keys in
/// 10 teams, 4 models, 2 providers, the outcome mix of a busy gateway. It times the first rollup
/// of the whole table, then each query (rollup plus two minutes of rows it has not reached yet).
/// </summary>
internal static class UsageBench
{
    private const int Repetitions = 20;

    public static async Task RunAsync(int rows, string engines)
    {
        if (engines is "both" or "postgres")
        {
            await RunPostgresAsync(rows);
        }

        if (engines is "both" or "sqlite")
        {
            await RunSqliteAsync(rows);
        }
    }

    private static async Task RunPostgresAsync(int rows)
    {
        using (var server = ThrowawayPostgres.Start())
        {
            await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE usagebench", admin);
                await create.ExecuteNonQueryAsync();
            }

            await MeasureAsync(new SynapseDatabase(DatabaseEngine.Postgres, server.ConnectionString("usagebench")), rows);
        }
    }

    private static async Task RunSqliteAsync(int rows)
    {
        var file = Path.Combine(Path.GetTempPath(), "synapse-usagebench-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await MeasureAsync(SynapseDatabase.ForSqliteFile(file), rows);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task MeasureAsync(SynapseDatabase database, int rows)
    {
        Console.WriteLine($"## {database.Engine}, {rows:N0} audit rows");
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await FillAsync(database, rows, now, TimeSpan.FromHours(24));
        Console.WriteLine($"filled in {clock.Elapsed.TotalSeconds:F1} s");

        var time = new FakeTimeProvider(now);
        var rollup = new UsageRollup(database, time);
        await rollup.RunAsync(CancellationToken.None);
        time.Advance(UsageRollup.SettleTime);
        clock.Restart();

        // The rollup pauses between chunks (on this fake clock) to let writers in; nothing else
        // writes here, so the pauses are skipped by moving the clock past each one at once.
        using var rolling = new CancellationTokenSource();
        var skipPauses = Task.Run(async () =>
        {
            while (!rolling.IsCancellationRequested)
            {
                await Task.Delay(1);
                time.Advance(UsageRollup.ChunkPause);
            }
        });
        var rolled = await rollup.RunAsync(CancellationToken.None);
        await rolling.CancelAsync();
        await skipPauses;
        Console.WriteLine($"first rollup of every row: {clock.Elapsed.TotalSeconds:F1} s (rolled up to id {rolled:N0})");
        if (database.Engine == DatabaseEngine.Postgres)
        {
            // What autovacuum does within a minute of a bulk change; without statistics the planner
            // may scan the rollup tables instead of reading them by key.
            await using var connection = database.CreateConnection();
            await connection.OpenAsync();
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE usage_minutes; ANALYZE usage_hours";
            await analyze.ExecuteNonQueryAsync();
        }

        // Two minutes of traffic at this rate that the rollup has not reached: read from the log.
        var tail = (int)(rows / (24.0 * 60) * 2);
        await FillAsync(database, tail, now, TimeSpan.FromMinutes(2), offset: rows);
        Console.WriteLine($"tail not rolled up: {tail:N0} rows");

        var query = new UsageQuery(database);
        Console.WriteLine("| query | p50 ms | p95 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        await TimeAsync(query, "last hour, per minute, by outcome", new UsageRequest(now.AddHours(-1), now, 60_000, "outcome"));
        await TimeAsync(query, "last 24 h, per minute, by outcome", new UsageRequest(now.AddHours(-24), now, 60_000, "outcome"));
        await TimeAsync(query, "last 24 h, per minute, top 10 keys", new UsageRequest(now.AddHours(-24), now, 60_000, "key", Top: 10));
        await TimeAsync(query, "last 24 h, per minute, one key by outcome", new UsageRequest(now.AddHours(-24), now, 60_000, "outcome", KeyId: "key_7"));
        await TimeAsync(query, "last 31 days, per hour, by outcome", new UsageRequest(now.AddDays(-31), now, 3_600_000, "outcome"));
        await TimeAsync(query, "last 31 days, per hour, top 10 teams", new UsageRequest(now.AddDays(-31), now, 3_600_000, "team", Top: 10));
        Console.WriteLine();
    }

    private static async Task TimeAsync(UsageQuery query, string name, UsageRequest request)
    {
        await query.QueryAsync(request, CancellationToken.None);
        var times = new double[Repetitions];
        long total = 0;
        for (var i = 0; i < Repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await query.QueryAsync(request, CancellationToken.None);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            total = result.Series.Sum(s => s.Requests.Sum());
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} ({total:N0} requests) | {times[Repetitions / 2]:F1} | {times[(int)(Repetitions * 0.95) - 1]:F1} | {times[^1]:F1} |"));
    }

    /// <summary>Rows spread evenly over <paramref name="span"/> before <paramref name="now"/>, made by the database itself.</summary>
    // Completions carry their gateway-added time (0-39 ms) in detail, as the gateway writes it.
    private const string GatewayDetail = """CASE WHEN g % 2 = 1 AND g % 13 <> 0 THEN '{"gatewayMs":' || (g % 40) || '}' END""";

    private static async Task FillAsync(SynapseDatabase database, int rows, DateTimeOffset now, TimeSpan span, int offset = 0)
    {
        var stepMicroseconds = (long)(span.TotalMicroseconds / rows);
        var postgres = database.Engine == DatabaseEngine.Postgres;
        var series = postgres ? "generate_series(1, @rows) AS s(g)" : "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < @rows) SELECT g FROM s) AS s";
        var eventId = postgres ? "gen_random_uuid()" : "lower(hex(randomblob(16)))";
        var occurred = postgres
            ? "@now::timestamptz - (g * @step) * interval '1 microsecond'"
            : "strftime('%Y-%m-%dT%H:%M:%f', (@now_unix - (g * @step) / 1000000.0), 'unixepoch') || '000Z'";
        var sql = $"""
            INSERT INTO audit_events (event_id, partition_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider,
                                      provider_location, outcome, http_status, prompt_tokens, completion_tokens, latency_ms, detail, prev_hash, row_hash)
            SELECT {eventId}, 'bench', g + @offset,
                   CASE WHEN g % 2 = 0 THEN 'request' WHEN g % 13 = 0 THEN 'rejection' ELSE 'completion' END,
                   {occurred}, 'req_' || g, 'key_' || (g % 200), 'team_' || (g % 10), 'model_' || (g % 4), 'provider_' || (g % 2), 'on-prem',
                   CASE WHEN g % 2 = 0 THEN 'allowed' WHEN g % 13 = 0 THEN (CASE WHEN g % 3 = 0 THEN 'rate_limited' ELSE 'dlp_blocked' END)
                        WHEN g % 29 = 0 THEN 'upstream_error' ELSE 'completed' END,
                   200, 40 + (g % 200), 100 + (g % 400), 20 + (g % 900),
                   {GatewayDetail}, 'x', 'y'
            FROM {series}
            """;
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 3600;
        command.CommandText = sql;
        void Add(string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        Add("rows", rows);
        Add("offset", offset);
        Add("step", stepMicroseconds);
        if (postgres)
        {
            Add("now", now.UtcDateTime);
        }
        else
        {
            Add("now_unix", now.ToUnixTimeMilliseconds() / 1000.0);
        }

        await command.ExecuteNonQueryAsync();
        if (postgres)
        {
            command.Parameters.Clear();
            command.CommandText = "VACUUM ANALYZE audit_events";
            await command.ExecuteNonQueryAsync();
        }
    }
}
