using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;
using Synapse.Silo.Audit;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>
/// The table in docs/audit.md, row by row, run once per engine: each attack is made with exactly
/// the means of the attacker named in the test (an INSERT-only writer login; a database superuser
/// with the triggers off; the same plus the checkpoint directory; the same plus the signing key),
/// and the verdict is the one the table states, including where a guarantee stops.
/// </summary>
public abstract class AuditAttackScenarios
{
    private const int CheckpointEvery = 10;

    private protected abstract AuditTestEngine Engine { get; }

    // Row: rows added to the log. INSERT-only writer: detected.
    [Theory]
    [InlineData("another key")]
    [InlineData("the first release's unkeyed rule")]
    public async Task InsertOnlyWriter_RowsAppendedToAnOpenPartition_AreDetected(string rule)
    {
        var (log, writer) = await WrittenLogAsync(12, stop: false);
        await using var _ = log;
        var head = writer.Head!;
        AuditForgery.RowRule forge = rule == "another key" ? OtherChain().RowHash : AuditLegacyChain.RowHash;

        var inserted = await AsInsertOnlyWriterAsync(log, store => store.AppendAsync(AuditForgery.Rows(forge, head.Id, head.Seq + 1, head.Hash, 3), CancellationToken.None));

        Assert.True(inserted.Committed);
        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(12, result.Checked);
        Assert.Contains("without the signing key", result.Reason, StringComparison.Ordinal);
    }

    // Row: a row put at the running writer's next sequence. INSERT-only writer: the writer's next
    // batch fails (503 audit_unavailable, a new partition); it is never acknowledged unwritten.
    [Fact]
    public async Task InsertOnlyWriter_ARowAtTheWritersNextSequence_FailsItsNextBatch_InsteadOfAcknowledgingIt()
    {
        var (log, writer) = await WrittenLogAsync(3, stop: false);
        await using var _ = log;
        var head = writer.Head!;
        var squatted = await AsInsertOnlyWriterAsync(log, store => store.AppendAsync(AuditForgery.Rows(OtherChain().RowHash, head.Id, head.Seq + 1, head.Hash, 1), CancellationToken.None));
        Assert.True(squatted.Committed);

        var victim = AuditSamples.Simple(42);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(victim));
        Assert.DoesNotContain(await log.RowsAsync(), r => r.Record.EventId == victim.EventId);

        // The next event goes into a new partition, and is stored.
        var next = AuditSamples.Simple(43);
        await writer.AppendAsync(next);
        Assert.NotEqual(head.Id, writer.Head!.Id);
        Assert.Contains(await log.RowsAsync(), r => r.Record.EventId == next.EventId);
    }

    // Row: the manifest blocked (a trigger refusing checkpoints) on a running writer, so that its
    // tail stays unsigned for deletion. Database superuser: at most a checkpoint's worth of rows, as
    // a crash leaves; past that the writer refuses events (503) until a checkpoint is written.
    [Fact]
    public async Task Superuser_BlockingTheManifest_GetsACheckpointsWorthOfUnsignedRowsAtMost_ThenEventsAreRefused()
    {
        var (log, writer) = await WrittenLogAsync(12, stop: false);
        await using var _ = log;
        var postgres = log.Database.Engine == DatabaseEngine.Postgres;
        await Engine.TamperAsync(log.Database, postgres
            ? "CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.kind <> 'open' THEN RAISE EXCEPTION 'held'; END IF; RETURN NEW; END $$; CREATE TRIGGER hold BEFORE INSERT ON audit_manifest FOR EACH ROW EXECUTE FUNCTION hold();"
            : "CREATE TRIGGER hold BEFORE INSERT ON audit_manifest WHEN NEW.kind <> 'open' BEGIN SELECT RAISE(ABORT, 'held'); END;");

        var acknowledged = 0;
        var refused = false;
        for (var i = 12; i < 60 && !refused; i++)
        {
            try
            {
                await writer.AppendAsync(AuditSamples.Simple(i));
                acknowledged++;
            }
            catch (AuditUnavailableException)
            {
                refused = true;
            }
        }

        // Signed at row 10; rows 11 and 12 and those acknowledged since make a checkpoint's worth.
        Assert.True(refused);
        Assert.Equal(CheckpointEvery, 2 + acknowledged);

        await Engine.TamperAsync(log.Database, postgres ? "DROP TRIGGER hold ON audit_manifest;" : "DROP TRIGGER hold;");
        await writer.AppendAsync(AuditSamples.Simple(100));
        await writer.StopAsync(CancellationToken.None);
        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(12 + acknowledged + 1, result.Checked);
    }

    // Row: rows added to the log. A row no writer could produce is reported, not a crash of the verifier.
    [Theory]
    [InlineData("kind", "'bogus'")]
    [InlineData("provider_location", "'moon'")]
    [InlineData("occurred_at", "'not a time'")]
    public async Task InsertOnlyWriter_ARowNoWriterCouldProduce_IsReported(string column, string value)
    {
        var (log, _) = await WrittenLogAsync(3);
        await using var __ = log;
        var values = new Dictionary<string, string>
        {
            ["event_id"] = $"'{Guid.NewGuid()}'", ["partition_id"] = "'p'", ["partition_seq"] = "1", ["kind"] = "'request'",
            ["occurred_at"] = "'2026-01-01T00:00:00.000000Z'", ["outcome"] = "'allowed'", ["prev_hash"] = "'x'", ["row_hash"] = "'y'", ["provider_location"] = "NULL",
        };
        values[column] = value;
        var writer = await Engine.AsInsertOnlyWriterAsync(log.Database);

        var insert = $"INSERT INTO audit_events ({string.Join(", ", values.Keys)}) VALUES ({string.Join(", ", values.Values)})";
        if (column == "occurred_at" && log.Database.Engine == DatabaseEngine.Postgres)
        {
            // PostgreSQL keeps times typed; there, the malformed value is refused at the door.
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => writer.ExecuteAsync(insert));
            return;
        }

        await writer.ExecuteAsync(insert);

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(3, result.Checked);
        Assert.Contains("cannot be read", result.Reason, StringComparison.Ordinal);
    }

    // Row: rows added to the log. Even with the key, nothing follows a closed partition.
    [Fact]
    public async Task SigningKeyHolder_RowsAppendedAfterAClosedPartition_AreDetected()
    {
        var (log, writer) = await WrittenLogAsync(5);
        await using var _ = log;
        var rows = await log.RowsAsync();

        await AsInsertOnlyWriterAsync(log, store => store.AppendAsync(AuditForgery.Rows(log.Chain, rows[^1].PartitionId, 6, rows[^1].RowHash, 1), CancellationToken.None));

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("follows the end of partition", result.Reason, StringComparison.Ordinal);
    }

    // Row: a forged partition. INSERT-only writer (rows, and manifest records in the database) and
    // superuser with the checkpoint directory (records in both copies): detected.
    [Theory]
    [InlineData("no manifest record")]
    [InlineData("manifest records in the database")]
    [InlineData("manifest records in both copies")]
    public async Task AForgedPartition_IsDetected(string cover)
    {
        var (log, _) = await WrittenLogAsync(5);
        await using var __ = log;
        var forger = new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var chain = new AuditChain(forger);
        var partition = AuditPartition.Open(DateTimeOffset.UtcNow, chain);
        var rows = AuditForgery.Rows(chain, partition.Id, 1, partition.Hash, 4);

        await AsInsertOnlyWriterAsync(log, store => store.AppendAsync(rows, CancellationToken.None));
        if (cover != "no manifest record")
        {
            var signer = new AuditManifestSigner(forger);
            var forged = new List<AuditManifestRecord>();
            await AsInsertOnlyWriterManifestAsync(log, async manifest =>
            {
                forged.Add(await manifest.AppendAsync(last => signer.Next(last, AuditManifestKinds.Open, partition, DateTimeOffset.UtcNow), CancellationToken.None));
                forged.Add(await manifest.AppendAsync(last => signer.Next(last, AuditManifestKinds.Close, partition with { Seq = 4, Hash = rows[^1].RowHash }, DateTimeOffset.UtcNow), CancellationToken.None));
            });
            if (cover == "manifest records in both copies")
            {
                forged.ForEach(log.Checkpoints.Append);
            }
        }

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains(cover == "no manifest record" ? "does not list" : "valid MAC", result.Reason, StringComparison.Ordinal);
    }

    // Row: an edited row. Superuser: detected, whichever column.
    [Theory]
    [InlineData("outcome = 'dlp_blocked'")]
    [InlineData("detail = '{\"x\":1}'")]
    [InlineData("key_id = NULL")]
    [InlineData("partition_seq = partition_seq")]
    public async Task Superuser_AnEditedRow_IsDetected(string change)
    {
        var (log, _) = await WrittenLogAsync(20);
        await using var __ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"UPDATE audit_events SET {change} WHERE id = {rows[7].Id}");

        var result = await log.VerifyAsync();
        if (change == "partition_seq = partition_seq")
        {
            // The control: a no-op update leaves the log intact.
            Assert.True(result.Ok, result.Reason);
            return;
        }

        Assert.False(result.Ok);
        Assert.Equal(rows[7].Id, result.FirstBrokenId);
        Assert.Equal(7, result.Checked);
    }

    // Row: an edited row. Superuser: a NULL where the writer never leaves one (the table rebuilt
    // without its NOT NULL constraints) is a row that cannot be read, reported as broken (exit 1),
    // not a failure of the verifier (exit 2, "setup error").
    [Theory]
    [InlineData("kind")]
    [InlineData("outcome")]
    [InlineData("partition_seq")]
    [InlineData("row_hash")]
    public async Task Superuser_ANullWhereTheWriterNeverLeavesOne_IsReportedAsAnUnreadableRow(string column)
    {
        var (log, _) = await WrittenLogAsync(20);
        await using var __ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, log.Database.Engine == DatabaseEngine.Postgres
            ? $"ALTER TABLE audit_events ALTER COLUMN {column} DROP NOT NULL; UPDATE audit_events SET {column} = NULL WHERE id = {rows[7].Id};"
            : $"CREATE TABLE t AS SELECT * FROM audit_events; DROP TABLE audit_events; ALTER TABLE t RENAME TO audit_events; UPDATE audit_events SET {column} = NULL WHERE id = {rows[7].Id};");
        SqliteConnection.ClearAllPools();

        var result = await log.VerifyAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(log.CommandLineSettings()).Build();
        var exit = await AuditCommandLine.RunAsync(["audit", "verify"], configuration, new StringWriter());

        Assert.False(result.Ok);
        Assert.Equal(7, result.Checked);
        Assert.Contains("cannot be read", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, exit);
    }

    // Where a guarantee stops: `id` is assigned by the database and outside the MAC, so ids swapped
    // between two rows of different partitions (each partition keeps its order) verify. Superuser:
    // not detected; the evidence tools name the event by what the MAC covers (event id, partition,
    // sequence), and `audit prove` takes the event id too.
    [Fact]
    public async Task Superuser_IdsSwappedAcrossPartitions_Verify_ButProveNamesTheEventByWhatItsMacCovers()
    {
        var (database, dataDirectory) = await Engine.CreateDatabaseAsync();
        await using var log = await AuditHarness.CreateAsync(database, dataDirectory);
        var (a, b) = (await log.StartWriterAsync(), await log.StartWriterAsync());
        for (var i = 0; i < 4; i++)
        {
            await a.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, log.Digester, prompt: "prompt a" + i));
            await b.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, log.Digester, prompt: "prompt b" + i));
        }

        await a.StopAsync(CancellationToken.None);
        await b.StopAsync(CancellationToken.None);
        var rows = await log.RowsAsync();
        var (x, y) = (rows[2], rows[3]); // sequence 2 of each partition, no signed head
        Assert.NotEqual(x.PartitionId, y.PartitionId);

        await Engine.TamperAsync(log.Database, string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE id IN ({x.Id}, {y.Id});
            DELETE FROM audit_events WHERE id IN ({x.Id}, {y.Id});
            UPDATE swap SET id = CASE WHEN id = {x.Id} THEN {y.Id} ELSE {x.Id} END;
            {Engine.InsertSwappedSql};
            """));

        var result = await log.VerifyAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(log.CommandLineSettings()).Build();
        var yText = Path.Combine(log.DataDirectory, "y.txt");
        await File.WriteAllTextAsync(yText, "prompt b1");
        var xText = Path.Combine(log.DataDirectory, "x.txt");
        await File.WriteAllTextAsync(xText, "prompt a1");
        var (byIdExit, byId) = await ProveAsync(configuration, "--id", x.Id.ToString(CultureInfo.InvariantCulture), "--text-file", yText);
        var (byEventIdExit, byEventId) = await ProveAsync(configuration, "--id", x.Record.EventId.ToString("D"), "--text-file", xText);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(0, byIdExit);
        Assert.Equal((y.Record.EventId, y.PartitionId, y.Seq, x.Id), (byId["eventId"]!.GetValue<Guid>(), byId["partitionId"]!.GetValue<string>(), byId["partitionSeq"]!.GetValue<long>(), byId["id"]!.GetValue<long>()));
        Assert.Equal(0, byEventIdExit);
        Assert.Equal((x.Record.EventId, x.PartitionId, x.Seq, y.Id), (byEventId["eventId"]!.GetValue<Guid>(), byEventId["partitionId"]!.GetValue<string>(), byEventId["partitionSeq"]!.GetValue<long>(), byEventId["id"]!.GetValue<long>()));
    }

    // Row: a deleted row. Superuser: detected, anywhere a later row or a checkpoint follows it.
    [Theory]
    [InlineData(5, "missing")]
    [InlineData(0, "missing")]
    public async Task Superuser_ADeletedRow_IsDetected(int index, string reason)
    {
        var (log, _) = await WrittenLogAsync(20);
        await using var __ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id = {rows[index].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(rows[index + 1].Id, result.FirstBrokenId);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    // Row: a deleted row (reordering is two deletions and two insertions).
    [Fact]
    public async Task Superuser_ReorderedRows_AreDetected()
    {
        var (log, _) = await WrittenLogAsync(20);
        await using var __ = log;
        var rows = await log.RowsAsync();
        var (a, b) = (rows[3].Id, rows[9].Id);

        await Engine.TamperAsync(log.Database, string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TEMP TABLE swap AS SELECT * FROM audit_events WHERE id IN ({a}, {b});
            DELETE FROM audit_events WHERE id IN ({a}, {b});
            UPDATE swap SET id = CASE WHEN id = {a} THEN {b} ELSE {a} END;
            {Engine.InsertSwappedSql};
            """));

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(a, result.FirstBrokenId);
        Assert.Contains("sequence", result.Reason, StringComparison.Ordinal);
    }

    // Row: a consistent rewrite. Superuser with the checkpoint directory, without the signing key:
    // detected, whether the chain is recomputed with the first release's rule or another key and
    // the manifest re-signed in both copies.
    [Theory]
    [InlineData("the first release's unkeyed rule")]
    [InlineData("another key, manifest re-signed in both copies")]
    public async Task SuperuserWithTheDirectory_AConsistentRewriteWithoutTheSigningKey_IsDetected(string how)
    {
        var (log, _) = await WrittenLogAsync(30);
        await using var __ = log;
        var rows = await log.RowsAsync();
        var otherKeys = new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        AuditForgery.RowRule rule = how.StartsWith("another key", StringComparison.Ordinal) ? new AuditChain(otherKeys).RowHash : AuditLegacyChain.RowHash;

        var rewritten = await RewriteFromAsync(log, rows, 4, rule);
        if (how.StartsWith("another key", StringComparison.Ordinal))
        {
            await ResignManifestAsync(log, rewritten, new AuditManifestSigner(otherKeys));
        }

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains(how.StartsWith("another key", StringComparison.Ordinal) ? "valid MAC" : "without the signing key", result.Reason, StringComparison.Ordinal);
    }

    // Row: a consistent rewrite. With the signing key: rows rewritten alone still differ from the
    // signed heads; rows and manifest rewritten together verify. This is where every guarantee stops.
    [Fact]
    public async Task SigningKeyHolder_CanRewriteTheLog_OnlyWithTheManifestInBothCopies()
    {
        var (log, _) = await WrittenLogAsync(30);
        await using var __ = log;
        var rows = await log.RowsAsync();

        var rewritten = await RewriteFromAsync(log, rows, 4, log.Chain.RowHash);
        var rowsOnly = await log.VerifyAsync();
        await ResignManifestAsync(log, rewritten, log.Manifest.Signer);
        var everything = await log.VerifyAsync();

        Assert.False(rowsOnly.Ok);
        Assert.Contains("differs from manifest record", rowsOnly.Reason, StringComparison.Ordinal);
        Assert.True(everything.Ok, everything.Reason);
        Assert.Equal(30, everything.Checked);
    }

    // Row: a missing partition. Superuser: the directory still lists it.
    [Fact]
    public async Task Superuser_APartitionDeletedWithItsDatabaseRecords_IsDetectedThroughTheDirectory()
    {
        var (log, first) = await TwoPartitionsAsync();
        await using var _ = log;

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE partition_id = '{first}'; DELETE FROM audit_manifest WHERE partition_id = '{first}';");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("not in the database", result.Reason, StringComparison.Ordinal);
    }

    // Row: a missing partition. Superuser with the directory, deleting its checkpoint file too: the
    // records after it still chain to it.
    [Fact]
    public async Task SuperuserWithTheDirectory_APartitionDeletedWithItsCheckpointFile_IsDetected()
    {
        var (log, first) = await TwoPartitionsAsync();
        await using var _ = log;

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE partition_id = '{first}'; DELETE FROM audit_manifest WHERE partition_id = '{first}';");
        File.Delete(Path.Combine(log.Checkpoints.Path, first + AuditCheckpointDirectory.Extension));

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("missing from both copies", result.Reason, StringComparison.Ordinal);
    }

    // Row: deleted newest rows. Superuser, rows only: the signed head covers them.
    [Fact]
    public async Task Superuser_DeletedNewestRows_AreDetectedThroughTheManifest()
    {
        var (log, _) = await WrittenLogAsync(25);
        await using var __ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[19].Id}");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(20, result.Checked);
        Assert.Equal(rows[24].Id, result.FirstBrokenId);
        Assert.Contains("rows were deleted", result.Reason, StringComparison.Ordinal);
    }

    // Row: deleted newest rows. Superuser, rows and the database manifest's tail: the directory
    // (out of a cluster's database superuser's reach) still has the records.
    [Fact]
    public async Task Superuser_DeletedNewestRowsWithTheDatabaseManifestTail_AreDetectedThroughTheDirectory()
    {
        var (log, _) = await WrittenLogAsync(25);
        await using var __ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[9].Id}; DELETE FROM audit_manifest WHERE seq > 2;");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("not in the database", result.Reason, StringComparison.Ordinal);
    }

    // Row: deleted newest rows. Superuser with the directory, cutting both copies back while the
    // writer runs: its next rows and closing record no longer fit.
    [Fact]
    public async Task SuperuserWithTheDirectory_NewestRowsDeletedWhileTheWriterRuns_AreDetectedByItsNextRecord()
    {
        var (log, writer) = await WrittenLogAsync(25, stop: false);
        await using var _ = log;
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[9].Id}");
        await CutManifestAsync(log, keepThrough: 2);
        Assert.True((await log.VerifyAsync()).Ok);
        for (var i = 0; i < 5; i++)
        {
            await writer.AppendAsync(AuditSamples.Simple(100 + i));
        }

        await writer.StopAsync(CancellationToken.None);

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("missing before it", result.Reason, StringComparison.Ordinal);
    }

    // Row: deleted newest rows, where the guarantee stops. Superuser with the directory, cutting the
    // end of history back in both copies while the gateway is stopped: it reads like a crash (an
    // open partition) and the newest record's time shows where history now ends.
    [Fact]
    public async Task SuperuserWithTheDirectory_TheWholeTailCutWhileStopped_ReadsAsACrash()
    {
        var (log, _) = await WrittenLogAsync(25);
        await using var __ = log;
        var rows = await log.RowsAsync();
        var kept = (await log.ManifestAsync())[1];

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[9].Id}");
        await CutManifestAsync(log, keepThrough: kept.Seq);

        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((10L, 1, kept.At), (result.Checked, result.OpenPartitions, result.NewestCheckpointAt!.Value));
    }

    // Row: deleted newest rows, where the guarantee stops. Superuser, after a crash: rows written
    // since the crashed writer's last checkpoint were never signed.
    [Fact]
    public async Task Superuser_RowsSinceACrashedWritersLastCheckpoint_CanBeDeletedUnnoticed()
    {
        var (log, writer) = await WrittenLogAsync(25, stop: false);
        await using var _ = log;
        await writer.AbortAsync();
        var rows = await log.RowsAsync();

        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id > {rows[19].Id}");

        var result = await log.VerifyAsync();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((20L, 1), (result.Checked, result.OpenPartitions));
    }

    // Row: verification fails when there is nothing to check against.
    [Fact]
    public async Task SuperuserWithTheDirectory_RowsWithNoManifestLeft_FailVerification()
    {
        var (log, _) = await WrittenLogAsync(5);
        await using var __ = log;

        await Engine.TamperAsync(log.Database, "DELETE FROM audit_manifest");
        await CutManifestAsync(log, keepThrough: 0);

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Equal(0, result.Checkpoints);
        Assert.Contains("nothing to check", result.Reason, StringComparison.Ordinal);
    }

    // Row: verification fails when there is nothing to check against (the database copy alone deleted).
    [Fact]
    public async Task Superuser_TheDatabaseManifestDeleted_IsDetectedThroughTheDirectory()
    {
        var (log, _) = await WrittenLogAsync(5);
        await using var __ = log;

        await Engine.TamperAsync(log.Database, "DELETE FROM audit_manifest");

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains("not in the database", result.Reason, StringComparison.Ordinal);
    }

    // Row: verification fails when there is nothing to check against (the directory emptied, or a
    // front end pointed at a directory the writers do not use).
    [Fact]
    public async Task AnEmptiedCheckpointDirectory_FailsVerification_NamingTheDirectory()
    {
        var (log, _) = await WrittenLogAsync(5);
        await using var __ = log;

        Directory.Delete(log.Checkpoints.Path, recursive: true);

        var result = await log.VerifyAsync();
        Assert.False(result.Ok);
        Assert.Contains(log.Checkpoints.Path, result.Reason, StringComparison.Ordinal);
        Assert.Contains("CheckpointDirectory", result.Reason, StringComparison.Ordinal);
    }

    // Row: verification fails when there is nothing to check against (a log that was never started, or wiped).
    [Fact]
    public async Task AnEmptyLog_FailsVerification()
    {
        var (database, dataDirectory) = await Engine.CreateDatabaseAsync();
        await using var log = await AuditHarness.CreateAsync(database, dataDirectory);

        var result = await log.VerifyAsync();

        Assert.False(result.Ok);
        Assert.Contains("nothing to check", result.Reason, StringComparison.Ordinal);
    }

    // Row: the manifest's copy outside the database. A record removed from a checkpoint file alone is
    // detected; a line cut off mid-write (a crash) is not a record and is skipped; an edited line is caught.
    [Fact]
    public async Task CheckpointFiles_ARemovedRecordAndAnEditedLineAreCaught_ACutOffLineIsSkipped()
    {
        var (log, _) = await WrittenLogAsync(25);
        await using var __ = log;
        var file = Assert.Single(log.CheckpointFiles());
        var lines = await File.ReadAllLinesAsync(file);

        await File.AppendAllTextAsync(file, lines[^1][..(lines[^1].Length / 2)]);
        var afterCutOff = await log.VerifyAsync();

        await File.WriteAllTextAsync(file, string.Join('\n', lines.Append(lines[^1][..(lines[^1].Length / 2)])) + "\n");
        var afterEdit = await log.VerifyAsync();

        await File.WriteAllTextAsync(file, string.Join('\n', lines.Where((_, i) => i != 1)) + "\n");
        var afterRemoval = await log.VerifyAsync();

        Assert.True(afterCutOff.Ok, afterCutOff.Reason);
        Assert.False(afterEdit.Ok);
        Assert.Contains("line", afterEdit.Reason, StringComparison.Ordinal);
        Assert.False(afterRemoval.Ok);
        Assert.Contains("missing from the checkpoint directory", afterRemoval.Reason, StringComparison.Ordinal);
    }

    private async Task<(AuditHarness Log, AuditBatchWriter Writer)> WrittenLogAsync(int count, bool stop = true)
    {
        var (database, dataDirectory) = await Engine.CreateDatabaseAsync();
        var log = await AuditHarness.CreateAsync(database, dataDirectory);
        var writer = await log.StartWriterAsync(new AuditOptions { CheckpointEveryRows = CheckpointEvery });
        for (var i = 0; i < count; i++)
        {
            await writer.AppendAsync(AuditSamples.Simple(i));
        }

        if (stop)
        {
            await writer.StopAsync(CancellationToken.None);
        }

        Assert.True((await log.VerifyAsync()).Ok);
        return (log, writer);
    }

    /// <summary>Two writer runs, one after the other: returns the first partition's id.</summary>
    private async Task<(AuditHarness Log, string FirstPartition)> TwoPartitionsAsync()
    {
        var (log, first) = await WrittenLogAsync(5);
        var second = await log.StartWriterAsync();
        for (var i = 0; i < 5; i++)
        {
            await second.AppendAsync(AuditSamples.Simple(50 + i));
        }

        await second.StopAsync(CancellationToken.None);
        Assert.True((await log.VerifyAsync()).Ok);
        return (log, (await log.ManifestAsync())[0].Partition);
    }

    /// <summary>Runs <c>audit prove</c> and parses the JSON it prints.</summary>
    private static async Task<(int Exit, JsonNode Output)> ProveAsync(IConfiguration configuration, params string[] options)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await AuditCommandLine.RunAsync(["audit", "prove", .. options], configuration, output);
        return (exit, JsonNode.Parse(output.ToString())!);
    }

    private static AuditChain OtherChain() => new(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));

    private Task<T> AsInsertOnlyWriterAsync<T>(AuditHarness log, Func<IAuditStore, Task<T>> attack) =>
        AsInsertOnlyWriterAsync(log, database => AuditStores.Create(database), attack);

    private Task AsInsertOnlyWriterManifestAsync(AuditHarness log, Func<IAuditManifestStore, Task> attack) =>
        AsInsertOnlyWriterAsync(log, database => AuditStores.CreateManifestStore(database), async store =>
        {
            await attack(store);
            return true;
        });

    /// <summary>Runs <paramref name="attack"/> on a store opened with the INSERT-only writer's login.</summary>
    private async Task<T> AsInsertOnlyWriterAsync<TStore, T>(AuditHarness log, Func<Synapse.Persistence.Storage.SynapseDatabase, TStore> open, Func<TStore, Task<T>> attack)
    {
        var store = open(await Engine.AsInsertOnlyWriterAsync(log.Database));
        try
        {
            return await attack(store);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    /// <summary>Edits row <paramref name="from"/> and rechains every later row of its partition with <paramref name="rule"/>; returns the rows as they now are.</summary>
    private async Task<List<AuditRow>> RewriteFromAsync(AuditHarness log, List<AuditRow> rows, int from, AuditForgery.RowRule rule)
    {
        var sql = new StringBuilder();
        var rewritten = new List<AuditRow>(rows);
        var prev = rows[from].PrevHash;
        for (var i = from; i < rows.Count; i++)
        {
            var record = i == from ? rows[i].Record with { Outcome = "dlp_blocked" } : rows[i].Record;
            var hash = rule(rows[i].PartitionId, rows[i].Seq, record, prev);
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit_events SET outcome = '{record.Outcome}', prev_hash = '{prev}', row_hash = '{hash}' WHERE id = {rows[i].Id};\n");
            rewritten[i] = rows[i] with { Record = record, PrevHash = prev, RowHash = hash };
            prev = hash;
        }

        await Engine.TamperAsync(log.Database, sql.ToString());
        return rewritten;
    }

    /// <summary>Re-signs every manifest record with the rewritten heads, in the database and in the directory.</summary>
    private async Task ResignManifestAsync(AuditHarness log, List<AuditRow> rows, AuditManifestSigner signer)
    {
        var heads = rows.ToDictionary(r => (r.PartitionId, r.Seq));
        var sql = new StringBuilder();
        var resigned = new List<AuditManifestRecord>();
        AuditManifestRecord? previous = null;
        foreach (var record in await log.ManifestAsync())
        {
            var head = record.PartitionSeq == 0 ? record.Head : heads[(record.Partition, record.PartitionSeq)].RowHash;
            var next = signer.Next(previous, record.Kind, new AuditPartition(record.Partition, record.PartitionSeq, head, record.HeadId), record.At);
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit_manifest SET prev = '{next.Prev}', head = '{next.Head}', mac = '{next.Mac}' WHERE seq = {next.Seq};\n");
            resigned.Add(next);
            previous = next;
        }

        await Engine.TamperAsync(log.Database, sql.ToString());
        foreach (var file in log.CheckpointFiles())
        {
            File.Delete(file);
        }

        resigned.ForEach(log.Checkpoints.Append);
    }

    /// <summary>Removes every manifest record after <paramref name="keepThrough"/> from both copies.</summary>
    private async Task CutManifestAsync(AuditHarness log, long keepThrough)
    {
        await Engine.TamperAsync(log.Database, string.Create(CultureInfo.InvariantCulture, $"DELETE FROM audit_manifest WHERE seq > {keepThrough}"));
        foreach (var file in log.CheckpointFiles())
        {
            var kept = (await File.ReadAllLinesAsync(file)).Where(l => JsonNode.Parse(l)!["seq"]!.GetValue<long>() <= keepThrough).ToList();
            if (kept.Count == 0)
            {
                File.Delete(file);
            }
            else
            {
                await File.WriteAllTextAsync(file, string.Join('\n', kept) + "\n");
            }
        }
    }
}
