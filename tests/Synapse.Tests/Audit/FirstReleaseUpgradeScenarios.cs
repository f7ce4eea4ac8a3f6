using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Silo.Audit;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>
/// A log written by the first release (Audit/FirstRelease: its rows, checkpoint files and keys, as
/// that release produced them) under this release, once per engine: a writer refuses to start on
/// it until an operator seals it (<c>audit seal-legacy</c>); then its rows keep verifying under
/// their own unkeyed rule, new rows follow under the keyed one, and the sealed rows can no longer
/// be rewritten, extended or imitated.
/// </summary>
public abstract class FirstReleaseUpgradeScenarios
{
    private const int FirstReleaseRows = 14;
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Audit", "FirstRelease");

    private protected abstract AuditTestEngine Engine { get; }

    /// <summary>Puts the fixture's rows into the first release's table, ids included.</summary>
    private protected abstract Task LoadRowsAsync(AuditHarness log, string insertSql);

    /// <summary>The first release's schema script for this engine.</summary>
    private protected abstract string SchemaFile { get; }

    [Fact]
    public async Task AFirstReleaseLog_IsRefusedUntilSealed_ThenKeepsVerifyingUnderItsOwnRule()
    {
        await using var log = await FirstReleaseLogAsync();
        var configuration = CommandLine(log);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => log.StartWriterAsync());
        var unsealed = await log.VerifyAsync();
        var (sealExit, sealOutput) = await RunAsync(configuration, "audit", "seal-legacy");
        var writer = await log.StartWriterAsync();
        for (var i = 0; i < 3; i++)
        {
            await writer.AppendAsync(AuditSamples.Simple(i));
        }

        await writer.StopAsync(CancellationToken.None);
        var result = await log.VerifyAsync();
        var (proveExit, proveOutput) = await RunAsync(configuration, "audit", "prove", "--id", "1", "--text-file", await TextFileAsync(log, "first wave prompt 0"));

        Assert.Contains("seal-legacy", refused.Message, StringComparison.Ordinal);
        Assert.False(unsealed.Ok);
        Assert.Contains("never sealed", unsealed.Reason, StringComparison.Ordinal);
        Assert.True(sealExit == 0, sealOutput.ToJsonString());
        Assert.Equal((true, 2, FirstReleaseRows, 4), (sealOutput["sealed"]!.GetValue<bool>(), sealOutput["partitions"]!.GetValue<int>(), sealOutput["rows"]!.GetValue<long>(), sealOutput["legacyCheckpoints"]!.GetValue<int>()));
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((FirstReleaseRows + 3L, (long)FirstReleaseRows, 3, 0), (result.Checked, result.LegacyRows, result.Partitions, result.OpenPartitions));
        Assert.True(proveExit == 0, proveOutput.ToJsonString());
        Assert.True(proveOutput["rowIntact"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ATamperedFirstReleaseLog_IsNotSealed()
    {
        await using var log = await FirstReleaseLogAsync();
        var rows = await log.RowsAsync();
        await Engine.TamperAsync(log.Database, $"UPDATE audit_events SET outcome = 'dlp_blocked' WHERE id = {rows[2].Id}");

        var (exit, output) = await RunAsync(CommandLine(log), "audit", "seal-legacy");

        Assert.Equal(1, exit);
        Assert.False(output["sealed"]!.GetValue<bool>());
        Assert.Equal(rows[2].Id, output["firstBrokenId"]!.GetValue<long>());
        Assert.Empty(await log.ManifestAsync());
    }

    [Fact]
    public async Task AFirstReleaseLogWhoseNewestRowsWereDeleted_IsNotSealed()
    {
        await using var log = await FirstReleaseLogAsync();
        var rows = await log.RowsAsync();

        // Its last checkpoint covers row 7 of the second partition.
        await Engine.TamperAsync(log.Database, $"DELETE FROM audit_events WHERE id = {rows[^1].Id}");
        var (exit, output) = await RunAsync(CommandLine(log), "audit", "seal-legacy");

        Assert.Equal(1, exit);
        Assert.Contains("rows were deleted", output["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealedRows_CannotBeRewrittenExtendedOrImitated()
    {
        var attacks = new Func<AuditHarness, List<AuditRow>, Task>[]
        {
            // A consistent rewrite under the unkeyed rule (anyone can compute it): the sealed head no longer matches.
            async (log, rows) =>
            {
                var sql = new StringBuilder();
                var prev = rows[7].PrevHash;
                foreach (var row in rows.Where(r => r.PartitionId == rows[7].PartitionId).SkipWhile(r => r.Id != rows[7].Id))
                {
                    var record = row.Id == rows[7].Id ? row.Record with { Outcome = "dlp_blocked" } : row.Record;
                    var hash = AuditLegacyChain.RowHash(row.PartitionId, row.Seq, record, prev);
                    sql.Append(CultureInfo.InvariantCulture, $"UPDATE audit_events SET outcome = '{record.Outcome}', prev_hash = '{prev}', row_hash = '{hash}' WHERE id = {row.Id};\n");
                    prev = hash;
                }

                await Engine.TamperAsync(log.Database, sql.ToString());
            },

            // A row appended to a sealed partition under its own rule.
            async (log, rows) => await log.Store.AppendAsync(AuditForgery.Rows(AuditLegacyChain.RowHash, rows[^1].PartitionId, rows[^1].Seq + 1, rows[^1].RowHash, 1), CancellationToken.None),

            // A new partition under the unkeyed rule, as the first release would have written it.
            async (log, _) => await log.Store.AppendAsync(AuditForgery.Rows(AuditLegacyChain.RowHash, "20261130T120000000Z-000000000000", 1, AuditLegacyChain.Genesis("20261130T120000000Z-000000000000"), 2), CancellationToken.None),

            // A column the first release did not have, filled in later.
            async (log, rows) => await Engine.TamperAsync(log.Database, $"UPDATE audit_events SET detail = '{{}}' WHERE id = {rows[3].Id}"),
        };

        foreach (var attack in attacks)
        {
            await using var log = await FirstReleaseLogAsync();
            var (exit, output) = await RunAsync(CommandLine(log), "audit", "seal-legacy");
            Assert.True(exit == 0, output.ToJsonString());
            Assert.True((await log.VerifyAsync()).Ok);

            await attack(log, await log.RowsAsync());

            var result = await log.VerifyAsync();
            Assert.False(result.Ok);
        }
    }

    // A sealed row's v1 hash is unkeyed: whoever edits the row can compute it again. Only the chain
    // from it to the signed legacy head fixes its content, so that is what `audit prove` checks.
    [Fact]
    public async Task ASealedRowEditedWithItsV1HashRecomputed_IsNotProved()
    {
        await using var log = await FirstReleaseLogAsync();
        var configuration = CommandLine(log);
        var (sealExit, sealOutput) = await RunAsync(configuration, "audit", "seal-legacy");
        Assert.True(sealExit == 0, sealOutput.ToJsonString());
        var text = await TextFileAsync(log, "first wave prompt 0");
        var row = (await log.RowsAsync())[0];
        var (beforeExit, before) = await RunAsync(configuration, "audit", "prove", "--id", "1", "--text-file", text);

        var record = row.Record with { Outcome = "dlp_blocked" };
        var hash = AuditLegacyChain.RowHash(row.PartitionId, row.Seq, record, row.PrevHash);
        await Engine.TamperAsync(log.Database, $"UPDATE audit_events SET outcome = '{record.Outcome}', row_hash = '{hash}' WHERE id = {row.Id}");
        var (afterExit, after) = await RunAsync(configuration, "audit", "prove", "--id", "1", "--text-file", text);
        var result = await log.VerifyAsync();

        Assert.True(beforeExit == 0, before.ToJsonString());
        Assert.False(result.Ok);
        Assert.Contains("prev_hash", result.Reason, StringComparison.Ordinal);
        Assert.True(afterExit == 1, after.ToJsonString());
        Assert.Equal(("prompt", false, false), (after["matched"]!.GetValue<string>(), after["rowIntact"]!.GetValue<bool>(), after["proved"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task SealingTwice_IsRefused()
    {
        await using var log = await FirstReleaseLogAsync();
        var configuration = CommandLine(log);

        var (first, _) = await RunAsync(configuration, "audit", "seal-legacy");
        var (second, output) = await RunAsync(configuration, "audit", "seal-legacy");

        Assert.Equal((0, 1), (first, second));
        Assert.Contains("already has a manifest", output["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private protected static string Quote(JsonNode? value) => value switch
    {
        null => "NULL",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => "'" + value.GetValue<string>().Replace("'", "''", StringComparison.Ordinal) + "'",
    };

    /// <summary>The first release's data directory and database, then this release's schema installer over it.</summary>
    private async Task<AuditHarness> FirstReleaseLogAsync()
    {
        var (database, dataDirectory) = await Engine.CreateDatabaseAsync();
        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Fixture, SchemaFile)));
        var rows = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Fixture, "audit-events.json")))!.AsArray();
        var columns = rows[0]!.AsObject().Select(p => p.Key).ToList();
        var insert = new StringBuilder();
        foreach (var row in rows)
        {
            insert.Append("INSERT INTO audit_events (").AppendJoin(", ", columns).Append(") {OVERRIDING} VALUES (")
                .AppendJoin(", ", columns.Select(c => Quote(row![c]))).Append(");\n");
        }

        Directory.CreateDirectory(Path.Combine(dataDirectory, "audit-checkpoints"));
        foreach (var file in Directory.GetFiles(Path.Combine(Fixture, "checkpoints")))
        {
            File.Copy(file, Path.Combine(dataDirectory, "audit-checkpoints", Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(Fixture, "audit-signing.key"), Path.Combine(dataDirectory, "audit-signing.key"));
        var hashKey = Convert.FromBase64String(await File.ReadAllTextAsync(Path.Combine(Fixture, "audit-hash.key")));
        var log = await AuditHarness.CreateAsync(database, dataDirectory, hashKey);
        await LoadRowsAsync(log, insert.ToString());
        Assert.Equal(FirstReleaseRows, (await log.RowsAsync()).Count);
        return log;
    }

    private static IConfiguration CommandLine(AuditHarness log) => new ConfigurationBuilder().AddInMemoryCollection(log.CommandLineSettings()).Build();

    private static async Task<string> TextFileAsync(AuditHarness log, string text)
    {
        var file = Path.Combine(log.DataDirectory, Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(file, text);
        return file;
    }

    /// <summary>Runs an audit command and parses the JSON it prints.</summary>
    private static async Task<(int Exit, JsonNode Output)> RunAsync(IConfiguration configuration, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await AuditCommandLine.RunAsync(args, configuration, output);
        return (exit, JsonNode.Parse(output.ToString())!);
    }
}
