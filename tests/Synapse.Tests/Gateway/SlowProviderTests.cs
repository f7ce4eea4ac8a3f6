using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class SlowProviderTests(GatewayFixture fixture)
{
    [Fact]
    public async Task SlowProvider_DoesNotSerializeTheKeysOtherRequests()
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.SlowModel, GatewayFixture.OnPremModel]);
        using var client = fixture.Gateway.ClientFor(secret);
        var slowMarker = Guid.NewGuid().ToString("N");
        var fastMarker = Guid.NewGuid().ToString("N");

        var slow = client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.SlowModel, messages = new[] { new { role = "user", content = slowMarker } } });
        await WaitUntilAsync(() => fixture.Upstream.RequestsFor(slowMarker).Any());
        var clock = Stopwatch.StartNew();
        var fast = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = fastMarker } } });
        var fastTook = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.False(slow.IsCompleted, "The slow request should still be in flight.");
        Assert.True(fastTook < TimeSpan.FromSeconds(2), $"The second request took {fastTook} behind a 5 s provider call.");
        Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(10));
}
