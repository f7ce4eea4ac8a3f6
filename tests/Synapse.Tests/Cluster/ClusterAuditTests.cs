using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// The audit log of a real cluster (PostgreSQL, two silos writing, two client-mode front ends):
/// every front end and the examiner's command verify every silo's rows against the one manifest
/// (database table and shared checkpoint directory), and deleting the newest rows is detected.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ClusterAuditTests(PostgresServer postgres) : ClusterTest(postgres)
{
    [Fact]
    public async Task EveryFrontEndAndTheCommand_VerifyBothSilosRows_AndDeletedNewestRowsAreDetected()
    {
        Settings["Synapse:Audit:CheckpointInterval"] = "00:00:01";
        Running.Add(await SiloHost.StartAsync(Settings));
        Running.Add(await SiloHost.StartAsync(Settings));
        var first = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(first);
        var second = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(second);

        // Keys' grains spread over both silos, and each silo writes the audit rows of the grains it
        // holds. Placement is random among the silos a silo knows can host the grain, and on a busy
        // machine the second silo may not be a candidate yet for a while after it joined: keys are
        // added (8 at least) until both silos have written rows, for up to 90 s.
        var placing = System.Diagnostics.Stopwatch.StartNew();
        for (var k = 0; k < 8 || (placing.Elapsed < TimeSpan.FromSeconds(90) && await ScalarAsync<long>("SELECT count(DISTINCT partition_id) FROM audit_events") < 2); k++)
        {
            var (_, secret) = await first.CreateKeyAsync(["llama3"]);
            using var client = (k % 2 == 0 ? first : second).ClientFor(secret);
            for (var i = 0; i < 3; i++)
            {
                (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = $"audit {k}-{i}" } } })).EnsureSuccessStatusCode();
            }
        }

        await WaitUntilEveryRowIsCheckpointedAsync();
        var writers = await ScalarAsync<long>("SELECT count(DISTINCT partition_id) FROM audit_events");
        var viaFirst = await VerifyAsync(first);
        var viaSecond = await VerifyAsync(second);
        var (exitCode, output, errors) = await SiloProcess.RunCommandAsync(Settings, Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N")), "audit", "verify");

        Assert.True(writers >= 2, $"{writers} partitions hold rows");
        Assert.True(viaFirst["ok"]!.GetValue<bool>(), viaFirst.ToJsonString());
        Assert.True(viaSecond["ok"]!.GetValue<bool>(), viaSecond.ToJsonString());
        Assert.True(viaFirst["partitions"]!.GetValue<int>() >= 2);
        Assert.True(exitCode == 0, output + errors);

        // A database superuser deletes the newest rows, then the database's manifest records too:
        // the manifest, then its copy in the shared directory, still covers them.
        var newest = await ScalarAsync<long>("SELECT max(id) FROM audit_events");
        await ExecuteAsync($"SET session_replication_role = replica; DELETE FROM audit_events WHERE id > {newest - 5}");
        var rowsDeleted = await VerifyAsync(second);
        await ExecuteAsync("SET session_replication_role = replica; DELETE FROM audit_manifest WHERE kind <> 'open'");
        var manifestDeletedToo = await VerifyAsync(first);
        var (exitAfter, outputAfter, _) = await SiloProcess.RunCommandAsync(Settings, Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N")), "audit", "verify");

        Assert.False(rowsDeleted["ok"]!.GetValue<bool>());
        Assert.Contains("rows were deleted", rowsDeleted["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(manifestDeletedToo["ok"]!.GetValue<bool>());
        Assert.Contains("not in the database", manifestDeletedToo["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, exitAfter);
        Assert.Contains("\"ok\":false", outputAfter, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> VerifyAsync(GatewayHost frontEnd) =>
        (await frontEnd.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!;

    /// <summary>Until each partition's newest row is the head of a signed manifest record (the silos sign every second).</summary>
    private async Task WaitUntilEveryRowIsCheckpointedAsync()
    {
        const string Uncovered = """
            SELECT count(*) FROM (SELECT partition_id, max(partition_seq) AS seq FROM audit_events GROUP BY partition_id) r
            WHERE NOT EXISTS (SELECT 1 FROM audit_manifest m WHERE m.partition_id = r.partition_id AND m.partition_seq = r.seq)
            """;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ScalarAsync<long>(Uncovered) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The silos did not checkpoint their rows within 60 s.");
            await Task.Delay(100);
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Settings["ConnectionStrings:Postgres"]!);
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
