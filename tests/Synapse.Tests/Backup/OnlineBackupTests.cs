using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Synapse.Silo.Backup;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Backup;

/// <summary>
/// <c>Synapse.Silo backup DIR</c> copies a running all-in-one gateway's database and audit
/// checkpoints while it serves; the copy verifies, and a gateway started on it serves the same keys;
/// it never writes into a directory that holds something, and sends a cluster to pg_dump.
/// </summary>
public sealed class OnlineBackupTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task ABackupTakenWhileTheGatewayServes_Verifies_AndNeverReplacesAnother()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        settings["Synapse:Audit:CheckpointEveryRows"] = "1"; // a manifest record per row: the copy races the most writes

        // The keys stay where they are when the data is restored elsewhere, as docs/operations.md says
        // (the default key directory is named after the data directory, so a copy's would be another).
        settings["Synapse:Audit:KeyDirectory"] = Path.Combine(Path.GetTempPath(), "synapse-tests", "backup-keys-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayProcess.StartAsync(settings);
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var dataDirectory = gateway.Settings["Synapse:DataDirectory"]!;
        var cli = gateway.Settings.ToDictionary(s => s.Key, s => s.Value);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);

        // Requests keep coming while the copy is taken.
        using var stop = new CancellationTokenSource();
        var served = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "backup traffic" } } });
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Interlocked.Increment(ref served);
            }
        });
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref served)), count => count >= 25, TimeSpan.FromSeconds(30));
        var servedBefore = Volatile.Read(ref served);

        var destination = Path.Combine(Path.GetTempPath(), "synapse-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output, errors) = await SiloProcess.RunCommandAsync(cli, dataDirectory, "backup", destination);
        var servedDuringBackup = Volatile.Read(ref served);
        await stop.CancelAsync();
        await traffic;

        Assert.True(exitCode == 0, $"exit {exitCode}: {output}{errors}");
        var report = JsonNode.Parse(output)!;
        Assert.True(report["ok"]!.GetValue<bool>(), output);
        Assert.True(report["checkpointFiles"]!.GetValue<int>() >= 1, output);
        Assert.True(report["verification"]!["checked"]!.GetValue<long>() > 0, output);
        Assert.True(servedDuringBackup > servedBefore, "no request was served while the backup was taken");
        Assert.True(File.Exists(Path.Combine(destination, BackupCommandLine.DatabaseFile)));

        // The copy as a restored gateway reads it: its own data directory, the same keys.
        var (verifyExit, verifyOutput, verifyErrors) = await SiloProcess.RunCommandAsync(cli, destination, "audit", "verify");
        Assert.True(verifyExit == 0, $"exit {verifyExit}: {verifyOutput}{verifyErrors}");

        // Never over another backup.
        var (againExit, _, againErrors) = await SiloProcess.RunCommandAsync(cli, dataDirectory, "backup", destination);
        Assert.Equal(2, againExit);
        Assert.Contains("is not empty", againErrors, StringComparison.Ordinal);

        // Restored: a gateway started on the copy serves the same key and its log verifies.
        gateway.Terminate();
        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the gateway did not stop");
        var restoredSettings = new Dictionary<string, string?>(settings) { ["Synapse:DataDirectory"] = destination };
        await using var restored = await GatewayProcess.StartAsync(restoredSettings);
        await restored.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var again = restored.ClientFor(secret);
        var answer = await again.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "after the restore" } } });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var verify = await restored.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify");
        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
    }

    [Fact]
    public async Task ACluster_IsSentToPgDump_AndNothingIsWritten()
    {
        var destination = Path.Combine(Path.GetTempPath(), "synapse-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=9;Database=synapse;Username=synapse;Password=x",
            ["Synapse:DataDirectory"] = Path.GetTempPath(),
        }).Build();

        Assert.Equal(2, await BackupCommandLine.RunAsync(["backup", destination], configuration, new StringWriter()));
        Assert.False(Directory.Exists(destination));
        Assert.Equal(2, await BackupCommandLine.RunAsync(["backup"], configuration, new StringWriter()));
        Assert.Equal(2, await BackupCommandLine.RunAsync(["backup", destination, "extra"], configuration, new StringWriter()));
    }

    /// <summary>The directory as of a database copy: records it does not have and a line being written are left out; a line that does not parse is kept, for verification to report.</summary>
    [Fact]
    public void TheCheckpointCopy_StopsAtTheDatabaseCopysNewestRecord()
    {
        var source = Path.Combine(Path.GetTempPath(), "synapse-tests", "checkpoints-" + Guid.NewGuid().ToString("N"));
        var directory = new Synapse.Audit.AuditCheckpointDirectory(source);
        foreach (var seq in new long[] { 1, 2, 3, 4 })
        {
            directory.Append(new Synapse.Audit.AuditManifestRecord(seq, "prev", "checkpoint", "p1", seq, seq, "head", DateTimeOffset.UnixEpoch, "mac"));
        }

        var file = Path.Combine(source, "p1" + Synapse.Audit.AuditCheckpointDirectory.Extension);
        File.AppendAllText(file, "not a record\n{\"seq\":5,\"prev\":");
        var destination = Path.Combine(source + "-copy");

        Assert.Equal(1, directory.CopyTo(destination, upToSeq: 2));

        var copied = new Synapse.Audit.AuditCheckpointDirectory(destination).ReadAll();
        Assert.Equal([1L, 2L], copied.Records.Select(r => r.Seq));
        Assert.Single(copied.Unreadable);
        Assert.EndsWith("\n", File.ReadAllText(Path.Combine(destination, Path.GetFileName(file))), StringComparison.Ordinal);
    }
}
