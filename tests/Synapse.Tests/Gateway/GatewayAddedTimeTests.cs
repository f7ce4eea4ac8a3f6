using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A completion records the providers' time as <c>latency_ms</c> and the time the gateway added
/// as <c>detail.gatewayMs</c>: with an upstream that waits a known time before answering, the
/// first is at least that wait, the second is well below it, and the two fit in what the client
/// waited.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class GatewayAddedTimeTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan UpstreamWait = TimeSpan.FromSeconds(1);

    [Fact]
    public Task PlainRequest_RecordsTheUpstreamWaitAsLatency_AndTheRestAsGatewayTime() => AssertSplitAsync(stream: false);

    [Fact]
    public Task StreamedRequest_RecordsTheUpstreamWaitAsLatency_AndTheRestAsGatewayTime() => AssertSplitAsync(stream: true);

    private async Task AssertSplitAsync(bool stream)
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel2]);
        using var client = fixture.Gateway.ClientFor(secret);

        // A first request of the same kind, undelayed: a cold path's one-off costs (JIT, the key's
        // activation) are gateway time too, but not what this test is about.
        (await SendAsync(client, stream)).Dispose();

        fixture.Upstream.DelayByModel[GatewayFixture.OnPremModel2] = UpstreamWait;
        HttpResponseMessage response;
        var waited = Stopwatch.StartNew();
        try
        {
            response = await SendAsync(client, stream);
        }
        finally
        {
            waited.Stop();
            fixture.Upstream.DelayByModel.TryRemove(GatewayFixture.OnPremModel2, out _);
        }

        using (response)
        {
            var completion = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
            Assert.Equal("completed", completion["outcome"]!.GetValue<string>());
            var latencyMs = completion["latencyMs"]!.GetValue<long>();
            var detail = JsonNode.Parse(completion["detail"]!.GetValue<string>())!.AsObject();
            var gatewayMs = detail["gatewayMs"]!.GetValue<long>();
            output.WriteLine($"stream={stream}: latency_ms={latencyMs}, gatewayMs={gatewayMs}, client waited {waited.ElapsedMilliseconds} ms");
            // The mock's timer may fire a millisecond or two before the wait is up, and the
            // recorded time is cut to whole milliseconds.
            Assert.InRange(latencyMs, (long)UpstreamWait.TotalMilliseconds - 5, waited.ElapsedMilliseconds);
            Assert.InRange(gatewayMs, 0, (long)UpstreamWait.TotalMilliseconds / 2);
            Assert.True(latencyMs + gatewayMs <= waited.ElapsedMilliseconds, "Both parts happen inside the client's wait.");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, bool stream)
    {
        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel2, stream, messages = new[] { new { role = "user", content = "how long did this take" } } });
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsStringAsync();
        return response;
    }
}
