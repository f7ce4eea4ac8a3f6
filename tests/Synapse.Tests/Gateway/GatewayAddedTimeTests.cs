using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A completion records the providers' time as <c>latency_ms</c> and the time the gateway added
/// as <c>detail.gatewayMs</c>: with an upstream that waits a known time before answering, the
/// first is at least that wait and the second is well below it.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class GatewayAddedTimeTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan UpstreamWait = TimeSpan.FromMilliseconds(600);

    [Fact]
    public Task PlainRequest_RecordsTheUpstreamWaitAsLatency_AndTheRestAsGatewayTime() => AssertSplitAsync(stream: false);

    [Fact]
    public Task StreamedRequest_RecordsTheUpstreamWaitAsLatency_AndTheRestAsGatewayTime() => AssertSplitAsync(stream: true);

    private async Task AssertSplitAsync(bool stream)
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel2]);
        using var client = fixture.Gateway.ClientFor(secret);
        fixture.Upstream.DelayByModel[GatewayFixture.OnPremModel2] = UpstreamWait;
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel2, stream, messages = new[] { new { role = "user", content = "how long did this take" } } });
            response.EnsureSuccessStatusCode();
            _ = await response.Content.ReadAsStringAsync();
        }
        finally
        {
            fixture.Upstream.DelayByModel.TryRemove(GatewayFixture.OnPremModel2, out _);
        }

        var completion = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal("completed", completion["outcome"]!.GetValue<string>());
        var latencyMs = completion["latencyMs"]!.GetValue<long>();
        var detail = JsonNode.Parse(completion["detail"]!.GetValue<string>())!.AsObject();
        var gatewayMs = detail["gatewayMs"]!.GetValue<long>();
        output.WriteLine($"stream={stream}: latency_ms={latencyMs}, gatewayMs={gatewayMs}");
        Assert.InRange(latencyMs, (long)UpstreamWait.TotalMilliseconds, 30_000);
        Assert.InRange(gatewayMs, 0, (long)UpstreamWait.TotalMilliseconds / 2);
    }
}
