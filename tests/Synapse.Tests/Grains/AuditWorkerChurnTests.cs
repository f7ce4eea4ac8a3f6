using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Grains;

/// <summary>
/// The audit grain's workers stay once load has created them. Orleans' idle-worker controller
/// removed them a few seconds after load, and every removal threw and caught an exception
/// inside Orleans: the stateless worker's message loop runs with the trace activity of the request
/// that first called the grain, long stopped by then, and the deactivation restores it
/// (<c>System.Diagnostics</c> throws on restoring a stopped activity). Under steady load that was
/// a removal and a re-creation every few seconds.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AuditWorkerChurnTests
{
    [Fact]
    public async Task AfterLoad_TheAuditWorkersStay_AndNoRemovalThrows()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"));
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);

        // Traced, as a deployment with tracing on is: the requests carry activities, so the
        // worker loop Orleans starts for the audit grain carries one too.
        using var trace = new RequestTrace();
        client.DefaultRequestHeaders.Add("traceparent", trace.TraceParent);

        // Only removals of idle stateless workers: the whole stack, not the exception's own.
        using var thrownByRemoval = new StoppedActivityExceptions(() => Environment.StackTrace.Contains("CollectIdleWorkers", StringComparison.Ordinal));
        var management = gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

        // Load long enough for Orleans' controller (inspecting every 500 ms) to see messages
        // waiting, as steady traffic makes it: that is what later lets it remove a worker.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        await Task.WhenAll(Enumerable.Range(0, 48).Select(async i =>
        {
            for (var n = 0; DateTime.UtcNow < until; n++)
            {
                // Refused ones too (the key's rate limit): every request writes an audit event.
                using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = $"hello {i} {n}" } } });
                Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 429, $"status {(int)response.StatusCode}");
            }
        }));

        var workers = await AuditWorkersAsync(management);

        // The path ran: the load made Orleans start more than one worker.
        Assert.True(workers >= 2, $"the load started {workers} audit worker(s)");

        // Idle for many of Orleans' inspection periods (500 ms; three idle cycles to remove one).
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(workers, await AuditWorkersAsync(management));
        Assert.Equal(0, thrownByRemoval.Thrown);
    }

    private static async Task<int> AuditWorkersAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("AuditGrain", StringComparison.Ordinal) || s.GrainType.Contains("synapse.audit", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
}
