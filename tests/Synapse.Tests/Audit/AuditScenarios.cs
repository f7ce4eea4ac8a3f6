using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Silo.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Audit;

/// <summary>
/// The audit log against a real database, run once per engine by the derived classes: both must
/// keep every event, detect every kind of tampering and hold no plaintext.
/// </summary>
public abstract class AuditScenarios
{
    /// <summary>An empty database (no schema) and the data directory it belongs to.</summary>
    private protected abstract Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync();

    /// <summary>Runs SQL as someone who gets past the triggers (a superuser, or whoever can edit the file).</summary>
    private protected abstract Task TamperAsync(SynapseDatabase database, string sql);

    /// <summary>Puts the rows of a temporary table <c>swap</c> back into <c>audit_events</c> with their ids.</summary>
    private protected abstract string InsertSwappedSql { get; }

    /// <summary>Everything the database holds, as text (a dump, or the file's bytes).</summary>
    private protected abstract Task<string> DumpAsync(SynapseDatabase database);

    [Fact]
    public async Task EveryKindAndOutcome_RoundTrips()
    {
        await using var log = await CreateAsync();
        var writer = log.StartWriter();
        var records = AuditSamples.Outcomes
            .SelectMany(o => Enum.GetValues<AuditEventKind>().Select(k => AuditSamples.Full(k, o, log.Digester)))
            .Append(AuditRecord.Create(AuditEventKind.Rejection, AuditOutcomes.InvalidKey, DateTimeOffset.UtcNow))
            .Select(r => r with { Time = AuditText.TruncateToMicroseconds(r.Time) })
            .ToList();

        await writer.AppendAsync(records);

        var rows = await log.RowsAsync();
        Assert.Equal(records.Select(AuditSamples.Describe), rows.Select(r => AuditSamples.Describe(r.Record)));
        Assert.Equal(new AuditVerificationResult(true, records.Count), await log.VerifyAsync());
    }

    [Fact]
    public async Task ConcurrentAppendsFromManyTasks_AreAllDurableAndChained()
    {
        await using var log = await CreateAsync();
        var writer = log.StartWriter(new AuditOptions { MaxBatchSize = 64 });
        var records = Enumerable.Range(0, 2000).Select(i => AuditSamples.Simple(i)).ToList();

        await Task.WhenAll(records.Chunk(50).Select(chunk => Task.Run(async () =>
        {
            foreach (var record in chunk)
            {
                await writer.AppendAsync(record);
            }
        })));

        var rows = await log.RowsAsync();
        Assert.Equal(records.Select(r => r.EventId).Order(), rows.Select(r => r.Record.EventId).Order());
        Assert.Equal(new AuditVerificationResult(true, 2000), await log.VerifyAsync());
    }

    [Fact]
    public async Task RetriedBatch_CreatesNoDuplicates()
    {
        await using var log = await CreateAsync();
        var partition = AuditPartition.Open(DateTimeOffset.UtcNow);
        var rows = new List<AuditRow>();
        var prev = partition.Hash;
        for (var seq = 1; seq <= 5; seq++)
        {
            var record = AuditSamples.Simple(seq) with { Time = AuditText.TruncateToMicroseconds(DateTimeOffset.UtcNow) };
            var hash = AuditChain.RowHash(partition.Id, seq, record, prev);
            rows.Add(new AuditRow(0, partition.Id, seq, record, prev, hash));
            prev = hash;
        }

        var first = await log.Store.AppendAsync(rows, CancellationToken.None);
        var retry = await log.Store.AppendAsync(rows, CancellationToken.None);

        Assert.True(first.Committed);
        Assert.False(retry.Committed);
        Assert.Equal(rows.Select(r => r.Record.EventId).Order(), retry.AlreadyPresent.Order());
        Assert.Equal(5, (await log.RowsAsync()).Count);

        // Through the writer: a record appended again (a retried grain call) is acknowledged, not stored twice,
        // and the chain continues without a gap.
        var writer = log.StartWriter();
        var again = AuditSamples.Simple(6);
        await writer.AppendAsync(again);
        await writer.AppendAsync(again);
        await writer.AppendAsync([again, AuditSamples.Simple(7), again]);

        Assert.Equal(7, (await log.RowsAsync()).Count);
        Assert.Equal(new AuditVerificationResult(true, 7), await log.VerifyAsync());
    }

    [Fact]
    public async Task EditedRow_IsCaughtByVerify()
    {
        await using var log = await WrittenLogAsync(20);
        var rows = await log.RowsAsync();

        await TamperAsync(log.Database, $"UPDATE audit_events SET outcome = 'dlp_blocked' WHERE id = {rows[7].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(rows[7].Id, result.FirstBrokenId);
        Assert.Equal(7, result.Checked);
    }

    [Fact]
    public async Task DeletedRow_IsCaughtByVerify()
    {
        await using var log = await WrittenLogAsync(20);
        var rows = await log.RowsAsync();

        await TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id = {rows[5].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(rows[6].Id, result.FirstBrokenId);
        Assert.Contains("missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedOldestRow_IsCaughtByVerify()
    {
        await using var log = await WrittenLogAsync(20);
        var rows = await log.RowsAsync();

        await TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id = {rows[0].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(rows[1].Id, result.FirstBrokenId);
    }

    [Fact]
    public async Task ReorderedRows_AreCaughtByVerify()
    {
        await using var log = await WrittenLogAsync(20);
        var rows = await log.RowsAsync();
        var (a, b) = (rows[3].Id, rows[9].Id);

        await TamperAsync(log.Database, string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE id IN ({a}, {b});
            DELETE FROM audit_events WHERE id IN ({a}, {b});
            UPDATE swap SET id = CASE WHEN id = {a} THEN {b} ELSE {a} END;
            {InsertSwappedSql};
            """));

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(a, result.FirstBrokenId);
        Assert.Contains("sequence", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedNewestRows_AreCaughtThroughTheCheckpoint()
    {
        await using var log = await WrittenLogAsync(25, new AuditOptions { CheckpointEveryRows = 10 });
        var rows = await log.RowsAsync();
        Assert.True((await log.VerifyAsync()).Ok);

        // The newest rows leave no gap behind them: only the checkpoint outside the database shows they existed.
        await TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[19].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(20, result.Checked);
        Assert.Equal(rows[24].Id, result.FirstBrokenId);
        Assert.Contains("deleted", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointCutOffMidWrite_IsSkipped_ButAnEditedOneIsCaught()
    {
        await using var log = await WrittenLogAsync(25, new AuditOptions { CheckpointEveryRows = 10 });
        var file = Directory.EnumerateFiles(log.Checkpoints.Directory, "*.jsonl").Single();
        var lines = await File.ReadAllLinesAsync(file);

        // Power lost while a checkpoint was being appended: half a line, no line break.
        await File.AppendAllTextAsync(file, lines[^1][..(lines[^1].Length / 2)]);
        var afterCutOff = await log.VerifyAsync();

        // A complete line that does not parse is not a crash: it was written and then altered.
        await File.WriteAllTextAsync(file, string.Join('\n', lines.Append(lines[^1][..(lines[^1].Length / 2)])) + "\n");
        var afterEdit = await log.VerifyAsync();

        Assert.True(afterCutOff.Ok, afterCutOff.Reason);
        Assert.False(afterEdit.Ok);
        Assert.Contains("checkpoint", afterEdit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RewrittenChain_IsCaughtThroughTheCheckpoint()
    {
        await using var log = await WrittenLogAsync(30, new AuditOptions { CheckpointEveryRows = 10 });
        var rows = await log.RowsAsync();

        // Someone who can bypass the triggers edits row 5 and recomputes every hash after it: the
        // chain is consistent again, but no longer matches the signed heads.
        var sql = new StringBuilder();
        var prev = rows[4].PrevHash;
        for (var i = 4; i < rows.Count; i++)
        {
            var record = i == 4 ? rows[i].Record with { Outcome = AuditOutcomes.DlpBlocked } : rows[i].Record;
            var hash = AuditChain.RowHash(rows[i].PartitionId, rows[i].Seq, record, prev);
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit_events SET outcome = '{record.Outcome}', prev_hash = '{prev}', row_hash = '{hash}' WHERE id = {rows[i].Id};\n");
            prev = hash;
        }

        await TamperAsync(log.Database, sql.ToString());

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(rows[9].Id, result.FirstBrokenId);
        Assert.Contains("checkpoint", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbortedWriter_LosesNoAcknowledgedEvent()
    {
        await using var log = await CreateAsync();
        var writer = log.StartWriter(new AuditOptions { MaxBatchSize = 50 });
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

        while (acknowledged.Count < 500)
        {
            await Task.Delay(10);
        }

        // As abrupt as a crash: the batch in flight is cancelled mid-transaction, no final checkpoint.
        await writer.AbortAsync();
        await stop.CancelAsync();
        await Task.WhenAll(producers);

        var stored = (await log.RowsAsync()).Select(r => r.Record.EventId).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
        Assert.True((await log.VerifyAsync()).Ok);
    }

    [Fact]
    public async Task MarkerTexts_NeverReachTheDatabase()
    {
        await using var log = await CreateAsync();
        var writer = log.StartWriter();
        var prompt = "PROMPT-MARKER-" + Guid.NewGuid().ToString("N");
        var response = "RESPONSE-MARKER-" + Guid.NewGuid().ToString("N");
        var record = AuditSamples.Full(AuditEventKind.Completion, AuditOutcomes.Completed, log.Digester, prompt, response);

        await writer.AppendAsync(record);
        await writer.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, log.Digester, prompt + "\r\n", response));

        var dump = await DumpAsync(log.Database);
        Assert.Contains(record.PromptSha256!, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("MARKER", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(log.HashKey), dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(log.HashKey), dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProveAndVerifyCommands_WorkAgainstTheDatabase()
    {
        await using var log = await CreateAsync();
        var writer = log.StartWriter();
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

        await TamperAsync(log.Database, $"UPDATE audit_events SET key_id = 'key_2' WHERE id = {id}");
        Assert.Equal(1, await AuditCommandLine.RunAsync(["audit", "verify"], configuration));
    }

    private protected async Task<AuditHarness> CreateAsync()
    {
        var (database, dataDirectory) = await CreateDatabaseAsync();
        return await AuditHarness.CreateAsync(database, dataDirectory);
    }

    /// <summary>A log of <paramref name="count"/> rows in one partition, one commit each, writer stopped (last checkpoint written).</summary>
    private async Task<AuditHarness> WrittenLogAsync(int count, AuditOptions? options = null)
    {
        var log = await CreateAsync();
        var writer = log.StartWriter(options);
        for (var i = 0; i < count; i++)
        {
            await writer.AppendAsync(AuditSamples.Simple(i));
        }

        await writer.StopAsync(CancellationToken.None);
        return log;
    }
}
