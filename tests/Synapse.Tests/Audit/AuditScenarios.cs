using System.Globalization;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Tests.Infrastructure;
using Synapse.Silo.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// The audit log against a real database, run once per engine by the derived classes: both must
/// keep every event, verify what they wrote, and hold no plaintext. The attacks are in
/// <see cref="AuditAttackScenarios"/>.
/// </summary>
public abstract class AuditScenarios
{
    private protected abstract AuditTestEngine Engine { get; }

    [Fact]
    public async Task EveryKindAndOutcome_RoundTrips_AndVerifies()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync();
        var records = AuditSamples.Outcomes
            .SelectMany(o => Enum.GetValues<AuditEventKind>().Select(k => AuditSamples.Full(k, o, log.Digester)))
            .Append(AuditRecord.Create(AuditEventKind.Rejection, AuditOutcomes.InvalidKey, DateTimeOffset.UtcNow))
            .Select(r => r with { Time = AuditText.TruncateToMicroseconds(r.Time) })
            .ToList();

        await writer.AppendAsync(records);

        var rows = await log.RowsAsync();
        Assert.Equal(records.Select(AuditSamples.Describe), rows.Select(r => AuditSamples.Describe(r.Record)));
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((records.Count, 1, 1, 1, 1, 1), (result.Checked, result.Partitions, result.OpenPartitions, result.Checkpoints, result.CheckpointsInDatabase, result.CheckpointsInDirectory));
    }

    [Fact]
    public async Task RateWindow_HoldsTheKeysForwardedRequestsTokenCountsAndCountedRefusalsSinceATime_NothingElse()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync();
        var now = AuditText.TruncateToMicroseconds(DateTimeOffset.UtcNow);
        var since = now.AddMinutes(-1);
        AuditRecord Event(AuditEventKind kind, string outcome, int? status, DateTimeOffset time, string key = "key_w", int? tokens = null) =>
            AuditRecord.Create(kind, outcome, time) with { KeyId = key, Model = "llama3", HttpStatus = status, PromptTokens = tokens, RequestId = "req_" + Guid.NewGuid().ToString("N") };
        AuditRecord[] counted =
        [
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, null, since, tokens: 12),
            Event(AuditEventKind.Rejection, AuditOutcomes.InvalidRequest, 400, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.DlpBlocked, 400, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.ModelNotAllowed, 403, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.NoRoute, 403, now),
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, 200, now) with { Api = "messages.count_tokens" },
        ];
        AuditRecord[] others =
        [
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, null, since.AddTicks(-10)),
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, 200, now) with { Api = "models" },
            Event(AuditEventKind.Completion, AuditOutcomes.Completed, 200, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.RateLimited, 429, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.InvalidRequest, 404, now),
            Event(AuditEventKind.Rejection, AuditOutcomes.InvalidKey, 401, now),
            Event(AuditEventKind.Request, AuditOutcomes.Allowed, null, now, key: "key_other"),
        ];

        // Older rows first, as in a real log; the others interleaved with the counted ones.
        await writer.AppendAsync([others[0], .. counted.Zip(others.Skip(1), (c, o) => new[] { c, o }).SelectMany(p => p), .. others.Skip(1 + counted.Length)]);
        var window = await log.Store.RateWindowAsync("key_w", since, CancellationToken.None);
        var none = await log.Store.RateWindowAsync("key_w", now.AddSeconds(1), CancellationToken.None);

        Assert.Equal(counted.Select(r => r.EventId), window.Select(r => r.Record.EventId));
        Assert.Equal(12, window[0].Record.PromptTokens);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyTasks_AreAllDurableAndChained()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync(new AuditOptions { MaxBatchSize = 64, CheckpointEveryRows = 100 });
        var records = Enumerable.Range(0, 2000).Select(i => AuditSamples.Simple(i)).ToList();

        await Task.WhenAll(records.Chunk(50).Select(chunk => Task.Run(async () =>
        {
            foreach (var record in chunk)
            {
                await writer.AppendAsync(record);
            }
        })));
        await writer.StopAsync(CancellationToken.None);

        var rows = await log.RowsAsync();
        Assert.Equal(records.Select(r => r.EventId).Order(), rows.Select(r => r.Record.EventId).Order());
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((2000, 0), (result.Checked, result.OpenPartitions));
        Assert.True(result.Checkpoints >= 2000 / (100 + 64), $"{result.Checkpoints} manifest records");
    }

    [Fact]
    public async Task TwoWritersOnOneDatabase_ShareOneManifestChain()
    {
        await using var log = await CreateAsync();
        var first = await log.StartWriterAsync(new AuditOptions { CheckpointEveryRows = 5 });
        var second = await log.StartWriterAsync(new AuditOptions { CheckpointEveryRows = 5 });

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await first.AppendAsync(AuditSamples.Simple(i, keyId: "key_a")); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await second.AppendAsync(AuditSamples.Simple(i, keyId: "key_b")); } }));
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);

        var records = await log.ManifestAsync();
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(2, records.Select(r => r.Partition).Distinct().Count());
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((80, 2, 0), (result.Checked, result.Partitions, result.OpenPartitions));
    }

    [Fact]
    public async Task RetriedBatch_CreatesNoDuplicates()
    {
        await using var log = await CreateAsync();
        var partition = AuditPartition.Open(DateTimeOffset.UtcNow, log.Chain);
        await log.Manifest.AppendAsync(AuditManifestKinds.Open, partition, DateTimeOffset.UtcNow, CancellationToken.None);
        var rows = AuditForgery.Rows(log.Chain, partition.Id, 1, partition.Hash, 5);

        var first = await log.Store.AppendAsync(rows, CancellationToken.None);
        var retry = await log.Store.AppendAsync(rows, CancellationToken.None);

        Assert.True(first.Committed);
        Assert.False(retry.Committed);
        Assert.Equal(rows.Select(r => r.Record.EventId).Order(), retry.AlreadyPresent.Order());
        Assert.Equal(5, (await log.RowsAsync()).Count);

        // Through the writer: a record appended again (a retried grain call) is acknowledged, not stored twice,
        // and the chain continues without a gap.
        var writer = await log.StartWriterAsync();
        var again = AuditSamples.Simple(6);
        await writer.AppendAsync(again);
        await writer.AppendAsync(again);
        await writer.AppendAsync([again, AuditSamples.Simple(7), again]);

        Assert.Equal(7, (await log.RowsAsync()).Count);
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(7, result.Checked);
    }

    [Fact]
    public async Task AbortedWriter_LosesNoAcknowledgedEvent_AndItsLogStillVerifies()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync(new AuditOptions { MaxBatchSize = 50, CheckpointEveryRows = 100 });
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var producers = Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var record = AuditSamples.Simple(i, keyId: "key_" + p);
                try
                {
                    await writer.AppendAsync(record);
                    acknowledged.Add(record.EventId);
                }
                catch (AuditUnavailableException)
                {
                    return;
                }
            }
        })).ToList();

        await Eventually.HoldsAsync(() => acknowledged.Count >= 500);

        // As abrupt as a crash: the batch in flight is cancelled mid-transaction, no closing record.
        await writer.AbortAsync();
        await stop.CancelAsync();
        await Task.WhenAll(producers);

        var stored = (await log.RowsAsync()).Select(r => r.Record.EventId).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(1, result.OpenPartitions);
    }

    [Fact]
    public async Task MarkerTexts_NeverReachTheDatabase()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync();
        var prompt = "PROMPT-MARKER-" + Guid.NewGuid().ToString("N");
        var response = "RESPONSE-MARKER-" + Guid.NewGuid().ToString("N");
        var record = AuditSamples.Full(AuditEventKind.Completion, AuditOutcomes.Completed, log.Digester, prompt, response);

        await writer.AppendAsync(record);
        await writer.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, log.Digester, prompt + "\r\n", response));

        var dump = await Engine.DumpAsync(log.Database);
        Assert.Contains(record.PromptSha256!, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("MARKER", dump, StringComparison.Ordinal);
        foreach (var key in new[] { log.HashKey, log.SigningKey })
        {
            Assert.DoesNotContain(Convert.ToBase64String(key), dump, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(key), dump, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ProveAndVerifyCommands_WorkAgainstTheDatabase()
    {
        await using var log = await CreateAsync();
        var writer = await log.StartWriterAsync();
        var prompt = "What is the capital of France?";
        await writer.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, log.Digester, prompt, "Paris."));
        await writer.StopAsync(CancellationToken.None);
        var id = (await log.RowsAsync()).Single().Id.ToString(CultureInfo.InvariantCulture);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(log.CommandLineSettings()).Build();
        var promptFile = Path.Combine(log.DataDirectory, "prompt.txt");
        var otherFile = Path.Combine(log.DataDirectory, "other.txt");
        var answerFile = Path.Combine(log.DataDirectory, "answer.txt");
        await File.WriteAllTextAsync(promptFile, prompt + "\n");
        await File.WriteAllTextAsync(otherFile, "What is the capital of Spain?");
        await File.WriteAllTextAsync(answerFile, "Paris.");

        Assert.True(AuditCommandLine.IsAuditCommand(["audit", "verify"]));
        Assert.Equal(0, await AuditCommandLine.RunAsync(["audit", "verify"], configuration));
        Assert.Equal(0, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", promptFile], configuration));
        Assert.Equal(0, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", answerFile, "--kind", "response"], configuration));
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", otherFile], configuration));
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", answerFile, "--kind", "prompt"], configuration));
        Assert.Equal(2, await AuditCommandLine.RunAsync(["audit", "prove", "--text-file", promptFile], configuration));
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "seal-legacy"], configuration));

        // A mistyped or misplaced option is a usage error, never ignored; configuration switches pass.
        Assert.Equal(2, await AuditCommandLine.RunAsync(["audit", "verify", "--id", id], configuration));
        Assert.Equal(2, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", answerFile, "--knd", "prompt"], configuration));
        Assert.Equal(2, await AuditCommandLine.RunAsync(["audit", "seal-legacy", "now"], configuration));
        Assert.Equal(0, await AuditCommandLine.RunAsync(["audit", "verify", "--Logging:LogLevel:Default", "Warning", "--Synapse:Orleans:ClusterId=c1"], configuration));

        using var quiet = new StringWriter();
        using var intactErrors = new StringWriter();
        Assert.Equal(0, await AuditCommandLine.RunAsync(["audit", "verify"], configuration, quiet, intactErrors));
        Assert.Equal(string.Empty, intactErrors.ToString());

        await Engine.TamperAsync(log.Database, $"UPDATE audit_events SET key_id = 'key_2' WHERE id = {id}");
        using var errors = new StringWriter();
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "verify"], configuration, quiet, errors));
        // An intact log checked with another install's keys fails the same way: the keys used are named.
        Assert.StartsWith("audit verify: checked with the keys ", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("Synapse:Audit:", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "prove", "--id", id, "--text-file", promptFile], configuration));
    }

    private protected async Task<AuditHarness> CreateAsync()
    {
        var (database, dataDirectory) = await Engine.CreateDatabaseAsync();
        return await AuditHarness.CreateAsync(database, dataDirectory);
    }
}
