using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Hybrid routing under failure: two on-prem providers and one cloud provider all serve the
/// model "shared". Sensitive keys must never reach the cloud, whatever fails.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RoutingTests : IAsyncLifetime
{
    private const string Model = "shared";
    private MockOpenAiUpstream _onPremA = null!;
    private MockOpenAiUpstream _onPremB = null!;
    private MockOpenAiUpstream _cloud = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _onPremA = await MockOpenAiUpstream.StartAsync();
        _onPremB = await MockOpenAiUpstream.StartAsync();
        _cloud = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("a-onprem", _onPremA.BaseUrl, "on-prem", Model);
        foreach (var (key, value) in GatewayHost.Provider("b-onprem", _onPremB.BaseUrl, "on-prem", Model).Concat(GatewayHost.Provider("c-cloud", _cloud.BaseUrl, "cloud", Model)))
        {
            settings[key] = value;
        }

        settings["Synapse:Resilience:MaxRetries"] = "1";
        settings["Synapse:Resilience:RetryBaseDelayMilliseconds"] = "5";
        settings["Synapse:Resilience:FirstByteTimeoutSeconds"] = "1";
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "4";
        settings["Synapse:Resilience:CircuitBreakSeconds"] = "1";
        _gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _onPremA.DisposeAsync();
        await _onPremB.DisposeAsync();
        await _cloud.DisposeAsync();
    }

    [Fact]
    public async Task SensitiveKey_NeverReachesTheCloud_AcrossThousandsOfRandomisedFailures()
    {
        var (sensitiveId, sensitive) = await _gateway.CreateKeyAsync([Model], classification: "sensitive");
        var (openId, open) = await _gateway.CreateKeyAsync([Model], classification: "non_sensitive");
        foreach (var id in new[] { sensitiveId, openId })
        {
            (await _gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 100_000, tokensPerMinute = 100_000_000, maxConcurrentRequests = 1000 })).EnsureSuccessStatusCode();
        }

        using var sensitiveClient = _gateway.ClientFor(sensitive);
        using var openClient = _gateway.ClientFor(open);
        var random = new Random(20261125);
        var statuses = new List<HttpStatusCode>();

        for (var round = 0; round < 100; round++)
        {
            // Each round the on-prem providers are up, down (HTTP 500/503), or hanging past the
            // first-byte timeout, independently; the cloud is always up and tempting.
            _onPremA.FailAllWithStatus = random.Next(3) == 0 ? 500 : random.Next(4) == 0 ? 503 : null;
            _onPremB.FailAllWithStatus = random.Next(3) == 0 ? 500 : null;
            _onPremA.DelayAll = round % 25 == 7 ? TimeSpan.FromSeconds(1.5) : null;
            var batch = Enumerable.Range(0, 20).Select(i => Post(i % 4 == 0 ? openClient : sensitiveClient, i % 4 == 0 ? "open" : "sensitive-" + round, i % 5 == 0)).ToList();
            statuses.AddRange(await Task.WhenAll(batch));
        }

        Assert.Equal(2000, statuses.Count);
        Assert.DoesNotContain(_cloud.Requests, r => r.Body.Contains("sensitive-", StringComparison.Ordinal));
        Assert.Contains(_cloud.Requests, r => r.Body.Contains("open", StringComparison.Ordinal));
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.BadGateway, $"Unexpected {s}"));
    }

    [Fact]
    public async Task Failover_GoesOnPremFirst_ThenCloud_OnlyForNonSensitiveKeys()
    {
        var (_, sensitive) = await _gateway.CreateKeyAsync([Model], classification: "sensitive");
        var (_, open) = await _gateway.CreateKeyAsync([Model], classification: "non_sensitive");
        using var sensitiveClient = _gateway.ClientFor(sensitive);
        using var openClient = _gateway.ClientFor(open);

        Assert.Equal(HttpStatusCode.OK, await Post(openClient, "healthy-open"));
        Assert.Single(_onPremA.RequestsFor("healthy-open"));

        _onPremA.FailAllWithStatus = 500;
        Assert.Equal(HttpStatusCode.OK, await Post(sensitiveClient, "a-down"));
        Assert.Single(_onPremB.RequestsFor("a-down"));

        _onPremB.FailAllWithStatus = 503;
        Assert.Equal(HttpStatusCode.BadGateway, await Post(sensitiveClient, "both-down-sensitive"));
        Assert.Equal(HttpStatusCode.OK, await Post(openClient, "both-down-open"));
        Assert.Empty(_cloud.RequestsFor("both-down-sensitive"));
        Assert.Single(_cloud.RequestsFor("both-down-open"));
    }

    [Fact]
    public async Task Streaming_FailsOverBeforeTheFirstChunk()
    {
        var (_, sensitive) = await _gateway.CreateKeyAsync([Model], classification: "sensitive");
        using var client = _gateway.ClientFor(sensitive);
        _onPremA.FailAllWithStatus = 500;

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, stream = true, messages = new[] { new { role = "user", content = "stream-failover" } } });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.Single(_onPremB.RequestsFor("stream-failover"));
    }

    [Fact]
    public async Task Circuit_OpensOnAFailingProvider_AndClosesAfterItRecovers()
    {
        var (_, sensitive) = await _gateway.CreateKeyAsync([Model], classification: "sensitive");
        using var client = _gateway.ClientFor(sensitive);
        _onPremA.FailAllWithStatus = 500;

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await Post(client, "trip-" + i));
        }

        Assert.Equal("open", await CircuitOfAsync("a-onprem"));
        var seenByA = _onPremA.Requests.Count;
        Assert.Equal(HttpStatusCode.OK, await Post(client, "while-open"));
        Assert.Equal(seenByA, _onPremA.Requests.Count);

        _onPremA.FailAllWithStatus = null;

        // The circuit lets one trial call through once its break (1 s) is over; until then every
        // call fails over to B without reaching A.
        await Eventually.HoldsAsync(
            async () =>
            {
                Assert.Equal(HttpStatusCode.OK, await Post(client, "recovered"));
                return _onPremA.RequestsFor("recovered").Any();
            },
            TimeSpan.FromSeconds(10));
        Assert.Single(_onPremA.RequestsFor("recovered"));
        Assert.Equal("closed", await CircuitOfAsync("a-onprem"));
    }

    private async Task<string> CircuitOfAsync(string provider)
    {
        var providers = await _gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/api/providers");
        return providers!.Single(p => p!["name"]!.GetValue<string>() == provider)!["circuit"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> Post(HttpClient client, string marker, bool stream = false)
    {
        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, stream, messages = new[] { new { role = "user", content = marker } } });
        return response.StatusCode;
    }
}
