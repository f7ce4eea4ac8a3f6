using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// A silo killed with SIGKILL in the middle of a burst, the way a crash or an OOM kill ends it:
/// the audit log must still hold every event it acknowledged, and its chains must still verify.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class SiloCrashTests(PostgresServer postgres) : ClusterTest(postgres)
{
    private const int ForwardedBeforeTheKill = 150;
    private const int ConcurrentClients = 24;

    [Fact]
    public async Task KillingTheSiloMidBurst_LosesNoAcknowledgedAuditEvent()
    {
        var silo = await SiloProcess.StartAsync(Settings);
        Running.Add(silo);
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);

        // A dead single silo is never declared dead by another, so the front end's calls in flight
        // to it are only abandoned by this timeout (see docs/audit.md).
        client.Timeout = TimeSpan.FromSeconds(5);

        // A provider answer takes a little while, so requests are in flight in every stage
        // (admission, audit batch, provider call, completion) when the silo dies.
        Upstream.DelayAll = TimeSpan.FromMilliseconds(20);
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, ConcurrentClients).Select(c => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = $"crash-burst {c}-{n}" } } });
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Expected once the silo is gone.
                }
            }
        })).ToList();

        await WaitUntilAsync(() => Forwarded().Count >= ForwardedBeforeTheKill, silo);
        await silo.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Every prompt the provider received was forwarded only after its request event was
        // acknowledged as durable, so each one must have its row.
        var digester = new AuditDigester(new AuditKeys(Convert.FromBase64String(Settings["Synapse:Audit:HashKey"]!), Convert.FromBase64String(Settings["Synapse:Audit:SigningKey"]!)));
        var recorded = await RequestEventPromptDigestsAsync();
        var forwarded = Forwarded();
        var missing = forwarded.Where(r => !recorded.Contains(digester.ChatPrompt(r.Json["messages"]!.AsArray()))).ToList();

        Assert.True(forwarded.Count >= ForwardedBeforeTheKill);
        Assert.Empty(missing);

        // The chains the dead silo left behind, and the checkpoints it exported, verify with the
        // examiner's command: no torn or half-written row.
        var (exitCode, verification, errors) = await SiloProcess.RunCommandAsync(Settings, silo.DataDirectory, "audit", "verify");
        Assert.True(exitCode == 0, verification + errors);
        var result = JsonNode.Parse(verification.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.True(result["ok"]!.GetValue<bool>());
        Assert.True(result["checked"]!.GetValue<int>() >= forwarded.Count);
    }

    [Fact]
    public async Task KillingTheKeysSiloMidBurst_OverAdmitsAtMostItsConcurrencyLimit()
    {
        const int PerMinute = 50;
        const int Concurrency = 5;
        SiloProcess[] silos = [await SiloProcess.StartAsync(Settings), await SiloProcess.StartAsync(Settings)];
        Running.AddRange(silos);
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var (keyId, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        (await frontEnd.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = PerMinute, tokensPerMinute = 10_000_000, maxConcurrentRequests = Concurrency })).EnsureSuccessStatusCode();
        var doomed = await SiloOfKeyAsync(frontEnd, keyId, silos);
        using var client = frontEnd.ClientFor(secret);
        client.Timeout = TimeSpan.FromSeconds(5);
        Upstream.DelayAll = TimeSpan.FromMilliseconds(20);

        // Concurrency-many clients keep the key at its limit of calls in flight, before, during
        // and after the kill, until the surviving silo has refused a good number of them.
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<(bool AfterKill, int Status)>();
        var killed = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var clients = Enumerable.Range(0, Concurrency).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var afterKill = Volatile.Read(ref killed);
                int status;
                try
                {
                    using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "burst" } } });
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                statuses.Enqueue((afterKill, status));
                if (afterKill && status is not (200 or 429))
                {
                    await Task.Delay(20); // until the cluster declares the silo dead, 503s come back at once
                }

                if (statuses.Count(s => s.AfterKill && s.Status == 429) >= 40)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToList();

        await WaitUntilAsync(() => statuses.Count(s => s.Status == 200) >= 30, doomed);
        await doomed.KillAsync();
        Volatile.Write(ref killed, true);
        await Task.WhenAll(clients);

        // The window as the audit log saw it: every admitted request has its request event.
        var admittedAt = await RequestEventTimesAsync(keyId);
        var busiestMinute = admittedAt.Select((t, i) => admittedAt.Skip(i).TakeWhile(u => u - t < TimeSpan.FromMinutes(1)).Count()).Max();
        var span = admittedAt[^1] - admittedAt[0];
        var sinceKill = statuses.Where(s => s.AfterKill).GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count());
        var summary = $"busiest minute {busiestMinute}, {admittedAt.Count} admitted over {span.TotalSeconds:F1} s, after the kill: {string.Join(", ", sinceKill.Select(kv => $"{kv.Key}×{kv.Value}"))}";

        Assert.True(sinceKill.GetValueOrDefault(429) >= 40, "The surviving silo never took the key over: " + summary);
        Assert.True(span < TimeSpan.FromMinutes(1), "The takeover took so long that the first burst left the window: " + summary);
        Assert.True(busiestMinute <= PerMinute + Concurrency, summary);
    }

    /// <summary>The silo process that hosts the key's grain.</summary>
    private static async Task<SiloProcess> SiloOfKeyAsync(GatewayHost frontEnd, string keyId, IEnumerable<SiloProcess> silos)
    {
        var grains = frontEnd.Services.GetRequiredService<IGrainFactory>();
        return (await SiloOfAsync(grains, grains.GetGrain<IApiKeyGrain>(keyId), silos))!;
    }

    private async Task<List<DateTimeOffset>> RequestEventTimesAsync(string keyId)
    {
        await using var dataSource = NpgsqlDataSource.Create(Settings["ConnectionStrings:Postgres"]!);
        await using var command = dataSource.CreateCommand("SELECT occurred_at FROM audit_events WHERE kind = 'request' AND key_id = $1 ORDER BY occurred_at");
        command.Parameters.AddWithValue(keyId);
        await using var reader = await command.ExecuteReaderAsync();
        var times = new List<DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return times;
    }

    private List<MockOpenAiUpstream.RecordedRequest> Forwarded() => [.. Upstream.RequestsFor("crash-burst")];

    private async Task<HashSet<string>> RequestEventPromptDigestsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(Settings["ConnectionStrings:Postgres"]!);
        await using var command = dataSource.CreateCommand("SELECT prompt_sha256 FROM audit_events WHERE kind = 'request' AND prompt_sha256 IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var digests = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            digests.Add(reader.GetString(0));
        }

        return digests;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, SiloProcess silo)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The burst did not reach the provider in time. Silo output:\n{silo.Output}");
            }

            await Task.Delay(10);
        }
    }
}
