using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Cluster;

/// <summary>
/// SIGTERM, the way an orchestrator stops a process: a silo finishes the calls its key grains hold
/// (their clients get their answers, their completions are audited) and exits within its grace
/// period; a front end finishes the requests it is serving, streams included.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class DrainTests(PostgresServer postgres, ITestOutputHelper output) : ClusterTest(postgres)
{
    private const string SlowModel = "slow";
    private const string SlowStreamModel = "slow-stream";
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task TerminatingASilo_WithLongCallsInFlight_AnswersThem_AuditsTheirCompletions_AndExitsWithinTheGracePeriod()
    {
        SlowModels();
        var silos = await Task.WhenAll(SiloProcess.StartAsync(Settings), SiloProcess.StartAsync(Settings));
        Running.AddRange(silos);
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var grains = frontEnd.Services.GetRequiredService<IGrainFactory>();
        var keys = new List<(string Id, HttpClient Client, SiloProcess Silo)>();
        foreach (var (id, secret) in await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => frontEnd.CreateKeyAsync(["llama3", SlowModel, SlowStreamModel]))))
        {
            var client = frontEnd.ClientFor(secret);
            client.Timeout = TimeSpan.FromSeconds(60);
            (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();
            keys.Add((id, client, (await SiloOfAsync(grains, grains.GetGrain<IApiKeyGrain>(id), silos))!));
        }

        var stopping = keys.GroupBy(k => k.Silo).OrderByDescending(g => g.Count()).First().Key;
        var held = keys.Where(k => k.Silo == stopping).Take(3).ToList();
        var calls = held.SelectMany(k => new[]
        {
            SendAsync(k.Client, SlowModel, stream: false, "drain whole " + k.Id),
            SendAsync(k.Client, SlowStreamModel, stream: true, "drain streamed " + k.Id),
        }).ToList();
        await WaitUntilAsync(() => Upstream.RequestsFor("drain ").Count() == calls.Count, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        stopping.Terminate();
        var during = await SendAsync(held[0].Client, "llama3", stream: false, "while draining");
        var exited = await stopping.WaitForExitAsync(GracePeriod + TimeSpan.FromSeconds(10));
        var exitTime = clock.Elapsed;
        var answers = await Task.WhenAll(calls);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{calls.Count} calls held by the silo; it exited {exitTime.TotalSeconds:F1} s after SIGTERM with code {(exited ? stopping.Process.ExitCode : -1)}"));

        Assert.True(exited, "The silo did not exit:\n" + stopping.Output);
        Assert.True(exitTime < GracePeriod, $"Exit took {exitTime.TotalSeconds:F1} s");
        Assert.Equal(0, stopping.Process.ExitCode);
        Assert.Equal(200, during.Status);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers.Where(a => !a.Streamed), a => Assert.Contains("echo: drain whole", a.Body, StringComparison.Ordinal));
        Assert.All(answers.Where(a => a.Streamed), a => Assert.EndsWith("data: [DONE]\n\n", a.Body, StringComparison.Ordinal));
        var completed = await CompletionsAsync([.. answers.Select(a => a.RequestId)]);
        Assert.Equal(answers.Length, completed.Count(c => c.Value == "completed"));
    }

    [Fact]
    public async Task TerminatingAFrontEnd_FinishesItsRequestsInFlight_StreamsIncluded_AndExits()
    {
        SlowModels();
        Running.Add(await SiloHost.StartAsync(Settings));
        var frontEnd = await GatewayProcess.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3", SlowModel, SlowStreamModel]);
        using var client = frontEnd.ClientFor(secret);
        client.Timeout = TimeSpan.FromSeconds(60);
        var calls = new[]
        {
            SendAsync(client, SlowModel, stream: false, "front whole"),
            SendAsync(client, SlowStreamModel, stream: true, "front streamed"),
        };
        await WaitUntilAsync(() => Upstream.RequestsFor("front ").Count() == calls.Length, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        frontEnd.Terminate();
        var exited = await frontEnd.WaitForExitAsync(GracePeriod + TimeSpan.FromSeconds(10));
        var exitTime = clock.Elapsed;
        var answers = await Task.WhenAll(calls);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"front end exited {exitTime.TotalSeconds:F1} s after SIGTERM"));

        Assert.True(exited, "The front end did not exit:\n" + frontEnd.Output);
        Assert.True(exitTime < GracePeriod, $"Exit took {exitTime.TotalSeconds:F1} s");
        Assert.Equal(0, frontEnd.Process.ExitCode);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Contains("echo: front whole", answers[0].Body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", answers[1].Body, StringComparison.Ordinal);
    }

    /// <summary>A model that answers after 6 s, and one that streams a word every 1.5 s.</summary>
    private void SlowModels()
    {
        Settings["Synapse:Providers:local:Models:1"] = SlowModel;
        Settings["Synapse:Providers:local:Models:2"] = SlowStreamModel;
        Upstream.DelayByModel[SlowModel] = TimeSpan.FromSeconds(6);
        Upstream.ChunkDelayByModel[SlowStreamModel] = TimeSpan.FromSeconds(1.5);
    }

    private static async Task<Answer> SendAsync(HttpClient client, string model, bool stream, string text)
    {
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model, stream, messages = new[] { new { role = "user", content = text } } });
        return new Answer((int)response.StatusCode, stream, await response.Content.ReadAsStringAsync(), response.Headers.GetValues("x-request-id").Single());
    }

    private async Task<Dictionary<string, string>> CompletionsAsync(string[] requestIds)
    {
        // A completion is written just after its answer went out.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var dataSource = NpgsqlDataSource.Create(Settings["ConnectionStrings:Postgres"]!);
            await using var command = dataSource.CreateCommand("SELECT request_id, outcome FROM audit_events WHERE kind = 'completion' AND request_id = ANY($1)");
            command.Parameters.AddWithValue(requestIds);
            var completions = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    completions[reader.GetString(0)] = reader.GetString(1);
                }
            }

            if (completions.Count == requestIds.Length || DateTime.UtcNow > deadline)
            {
                return completions;
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The calls did not reach the provider in time.");
            }

            await Task.Delay(20);
        }
    }

    private sealed record Answer(int Status, bool Streamed, string Body, string RequestId);
}
