using Microsoft.Extensions.Time.Testing;
using Synapse.Audit;
using Synapse.Gateway.Admin;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Console;

/// <summary>
/// Usage counts over a known set of audit rows, on either engine: read straight from the log,
/// after the rollup has taken them, and split between rollup and log.
/// </summary>
internal sealed class UsageScenarios(SynapseDatabase database)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 30, 0, TimeSpan.Zero);
    private readonly IAuditStore _store = AuditStores.Create(database);
    private readonly FakeTimeProvider _clock = new(Now);
    private long _seq;

    public async Task CountsEachRequestOnceByOutcome_FromTheLogTheRollupAndBoth()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await AppendAsync(Batch(Now.AddMinutes(-20)));
        var query = new UsageQuery(database);
        var request = new UsageRequest(Now.AddHours(-1), Now, 60_000, "outcome");

        var fromLog = await query.QueryAsync(request, CancellationToken.None);
        AssertBatch(fromLog, times: 1);
        Assert.Equal(0, fromLog.RolledUpTo);

        // The rollup notes the newest id, and counts up to it only once that has settled.
        var rollup = new UsageRollup(database, _clock);
        Assert.Equal(0, await rollup.RunAsync(CancellationToken.None));
        _clock.Advance(UsageRollup.SettleTime);
        var rolled = await rollup.RunAsync(CancellationToken.None);
        Assert.True(rolled > 0);
        var fromRollup = await query.QueryAsync(request, CancellationToken.None);
        AssertBatch(fromRollup, times: 1);
        Assert.Equal(rolled, fromRollup.RolledUpTo);

        // New rows are read from the log until the rollup takes them: never counted twice.
        await AppendAsync(Batch(Now.AddMinutes(-5)));
        AssertBatch(await query.QueryAsync(request, CancellationToken.None), times: 2);
        await rollup.RunAsync(CancellationToken.None);
        _clock.Advance(UsageRollup.SettleTime);
        await rollup.RunAsync(CancellationToken.None);
        var both = await query.QueryAsync(request, CancellationToken.None);
        AssertBatch(both, times: 2);
        Assert.True(both.RolledUpTo > rolled);

        // Minute buckets: the two batches fall in their own minutes.
        var allowed = both.Series.Single(s => s.Group == "allowed").Requests;
        Assert.Equal(60, allowed.Length);
        Assert.Equal(4, allowed[40]);
        Assert.Equal(4, allowed[55]);
    }

    /// <summary>
    /// A database whose usage tables predate the gateway-added time gets its columns at start: rows
    /// already rolled up keep their counts (gateway 0), and new rows roll up with the new histogram.
    /// </summary>
    public async Task UsageTablesWithoutTheGatewayColumns_AreUpgradedAtStart_AndKeepTheirRows()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var gatewayColumns = new[] { "gateway_count", "gateway_sum" }.Concat(Enumerable.Range(0, 12).Select(i => $"g{i}")).ToList();
        await using (var connection = await DbCommands.OpenAsync(database, CancellationToken.None))
        {
            foreach (var table in new[] { "usage_minutes", "usage_hours" })
            {
                foreach (var column in gatewayColumns)
                {
                    await DbCommands.ExecuteAsync(connection, null, $"ALTER TABLE {table} DROP COLUMN {column}", CancellationToken.None);
                }

                // A bucket the earlier release had rolled up: 7 requests, latency 120 ms.
                await DbCommands.ExecuteAsync(connection, null, $"""
                    INSERT INTO {table} (dim, value, bucket, class, requests, prompt_tokens, completion_tokens, latency_count, latency_sum, {UsageSql.BinColumns})
                    VALUES ('all', '', @bucket, 'allowed', 7, 0, 0, 1, 120, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)
                    """, CancellationToken.None, ("bucket", Now.AddMinutes(-50).ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000));
            }

            await Assert.ThrowsAnyAsync<Exception>(() => new UsageQuery(database).QueryAsync(new UsageRequest(Now.AddHours(-2), Now, 3_600_000, "outcome"), CancellationToken.None));
        }

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await AppendAsync(Batch(Now.AddMinutes(-20)));
        var rollup = new UsageRollup(database, _clock);
        await rollup.RunAsync(CancellationToken.None);
        _clock.Advance(UsageRollup.SettleTime);
        Assert.True(await rollup.RunAsync(CancellationToken.None) > 0);

        var hours = await new UsageQuery(database).QueryAsync(new UsageRequest(Now.AddHours(-2), Now, 3_600_000, "outcome"), CancellationToken.None);
        Assert.Equal(7 + 4, hours.Series.Single(s => s.Group == "allowed").Requests.Sum());
        Assert.Equal(5, hours.LatencyCount);
        Assert.Equal(3, hours.GatewayCount);
        Assert.Equal(46, hours.GatewaySum);
    }

    public async Task GroupsByKey_KeepsTheTopValues_AndSumsTheRestAsOther()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await AppendAsync(Batch(Now.AddMinutes(-30)));
        var rollup = new UsageRollup(database, _clock);
        await rollup.RunAsync(CancellationToken.None);
        _clock.Advance(UsageRollup.SettleTime);
        await rollup.RunAsync(CancellationToken.None);
        await AppendAsync(Batch(Now.AddMinutes(-10)));

        var byKey = await new UsageQuery(database).QueryAsync(new UsageRequest(Now.AddHours(-2), Now, 3_600_000, "key", Top: 2), CancellationToken.None);
        var onlyKeyB = await new UsageQuery(database).QueryAsync(new UsageRequest(Now.AddHours(-2), Now, 3_600_000, "outcome", KeyId: "key_b"), CancellationToken.None);

        // Per batch: no key 5 (refused unknown keys), key_a 4, key_b 3, key_c 1; two batches, top 2.
        Assert.Equal(10, byKey.Series.Single(s => s.Group is null).Requests.Sum());
        var keyA = byKey.Series.Single(s => s.Group == "key_a");
        Assert.Equal(8, keyA.Requests.Sum());
        Assert.Equal(80, keyA.PromptTokens.Sum());
        Assert.Equal(8, byKey.Series.Single(s => s.Group == UsageQuery.Other).Requests.Sum());
        Assert.Equal(3, byKey.Series.Count);
        Assert.Equal(2, onlyKeyB.Series.Single(s => s.Group == "allowed").Requests.Sum());
        Assert.Equal(2, onlyKeyB.Series.Single(s => s.Group == "upstream_error").Requests.Sum());
        Assert.Equal(2, onlyKeyB.Series.Single(s => s.Group == "rate_limited").Requests.Sum());
        Assert.Equal(8, byKey.LatencyCount);
        Assert.Equal(6, byKey.GatewayCount);
        Assert.Equal(92, byKey.GatewaySum);
    }

    /// <summary>
    /// The usage tables are derived, not evidence: deleted (both, or one of them), they are counted
    /// again from the log, and meanwhile every query reads the log itself. A log with nothing to
    /// count leaves them empty without being rolled up again and again.
    /// </summary>
    public async Task DeletedUsageTables_AreRebuiltFromTheLog(string deletion)
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var rollup = new UsageRollup(database, _clock);
        await AppendAsync([AuditRecord.Create(AuditEventKind.Admin, AuditOutcomes.Succeeded, Now.AddMinutes(-40)) with { Actor = "token", Action = "team.create" }]);
        await rollup.RunAsync(CancellationToken.None);
        _clock.Advance(UsageRollup.SettleTime);
        Assert.Equal(1, await rollup.RunAsync(CancellationToken.None));
        Assert.Equal(1, await rollup.RunAsync(CancellationToken.None));

        await AppendAsync(Batch(Now.AddMinutes(-20)));
        await rollup.RunAsync(CancellationToken.None);
        _clock.Advance(UsageRollup.SettleTime);
        var rolled = await rollup.RunAsync(CancellationToken.None);
        var query = new UsageQuery(database);
        var request = new UsageRequest(Now.AddHours(-1), Now, 60_000, "outcome");
        var hours = new UsageRequest(Now.AddHours(-2), Now, 3_600_000, "outcome");
        AssertBatch(await query.QueryAsync(request, CancellationToken.None), times: 1);

        await using (var connection = await DbCommands.OpenAsync(database, CancellationToken.None))
        {
            await DbCommands.ExecuteAsync(connection, null, deletion, CancellationToken.None);
        }

        // The rollup notices and starts again from the first event; the log answers until it is done.
        Assert.Equal(0, await rollup.RunAsync(CancellationToken.None));
        var meanwhile = await query.QueryAsync(request, CancellationToken.None);
        AssertBatch(meanwhile, times: 1);
        Assert.Equal(0, meanwhile.RolledUpTo);
        _clock.Advance(UsageRollup.SettleTime);
        Assert.Equal(rolled, await rollup.RunAsync(CancellationToken.None));

        var rebuilt = await query.QueryAsync(request, CancellationToken.None);
        AssertBatch(rebuilt, times: 1);
        Assert.Equal(rolled, rebuilt.RolledUpTo);
        AssertBatch(await query.QueryAsync(hours, CancellationToken.None), times: 1);
    }

    // Per batch: allowed 4 (3 completions + 1 model listing), upstream_error 1, dlp_blocked 2,
    // rate_limited 1, rejected 5 (one aggregated row of 5 unknown keys); tokens from completions only.
    private static void AssertBatch(UsageResult result, int times)
    {
        long Total(string group) => result.Series.SingleOrDefault(s => s.Group == group)?.Requests.Sum() ?? 0;
        Assert.Equal(4 * times, Total("allowed"));
        Assert.Equal(1 * times, Total("upstream_error"));
        Assert.Equal(2 * times, Total("dlp_blocked"));
        Assert.Equal(1 * times, Total("rate_limited"));
        Assert.Equal(5 * times, Total("rejected"));
        Assert.Equal(5, result.Series.Count);
        Assert.Equal(4 * 20 * times, result.Series.Sum(s => s.PromptTokens.Sum()));
        Assert.Equal(4 * 30 * times, result.Series.Sum(s => s.CompletionTokens.Sum()));
        Assert.Equal(4 * times, result.LatencyCount);
        Assert.Equal(times * ((3 * 120) + 4000), result.LatencySum);

        // Gateway-added time from the completions' detail: 3, 3 and 40 ms (one completion has none).
        Assert.Equal(3 * times, result.GatewayCount);
        Assert.Equal(46 * times, result.GatewaySum);
        Assert.Equal(2 * times, result.GatewayBins[2]);
        Assert.Equal(1 * times, result.GatewayBins[5]);
        Assert.Equal(3 * times, result.GatewayBins.Sum());
        var gateway = LatencyView.From(result.GatewayCount, result.GatewaySum, result.GatewayBins, UsageResult.GatewayBounds);
        Assert.Equal(4.25, gateway.P50Ms!.Value, 3);
        Assert.Equal(46.25, gateway.P95Ms!.Value, 3);
    }

    private static List<AuditRecord> Batch(DateTimeOffset at)
    {
        AuditRecord Event(AuditEventKind kind, string outcome, string? key, string? model = "m1") =>
            AuditRecord.Create(kind, outcome, at) with { KeyId = key, TeamId = key is null ? null : "team_1", Model = model, Provider = "p1" };

        return
        [
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, "key_a") with { PromptTokens = 999 },
            Event(AuditEventKind.Completion, AuditOutcomes.Completed, "key_a") with { PromptTokens = 20, CompletionTokens = 30, LatencyMs = 120, Detail = """{"gatewayMs":3}""" },
            Event(AuditEventKind.Completion, AuditOutcomes.Completed, "key_a") with { PromptTokens = 20, CompletionTokens = 30, LatencyMs = 120, Detail = """{"resent":true,"gatewayMs":3}""" },
            Event(AuditEventKind.Completion, AuditOutcomes.Completed, "key_b") with { PromptTokens = 20, CompletionTokens = 30, LatencyMs = 120 },
            Event(AuditEventKind.Completion, AuditOutcomes.UpstreamError, "key_b") with { PromptTokens = 20, CompletionTokens = 30, LatencyMs = 4000, Detail = """{"gatewayMs":40}""" },
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, "key_c", model: null),
            Event(AuditEventKind.Rejection, AuditOutcomes.DlpBlocked, "key_a"),
            Event(AuditEventKind.Rejection, AuditOutcomes.DlpBlocked, "key_a"),
            Event(AuditEventKind.Rejection, AuditOutcomes.RateLimited, "key_b"),
            Event(AuditEventKind.Rejection, AuditOutcomes.InvalidKey, null, model: null) with { Count = 5 },
            AuditRecord.Create(AuditEventKind.Admin, AuditOutcomes.Succeeded, at) with { Actor = "token", Action = "team.create" },
        ];
    }

    private async Task AppendAsync(List<AuditRecord> records)
    {
        // The usage query reads columns, not the chain: hashes here only fill the NOT NULL columns.
        var rows = records.Select(r => new AuditRow(0, "usage-test", ++_seq, r, new string('0', 64), new string('1', 64))).ToList();
        var result = await _store.AppendAsync(rows, CancellationToken.None);
        Assert.Empty(result.AlreadyPresent);
    }
}
