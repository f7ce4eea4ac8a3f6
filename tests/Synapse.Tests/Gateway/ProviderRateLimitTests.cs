using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A provider's answers about the request (its rate limit, an invalid or too long prompt) against
/// its answers about itself (5xx, no connection): only the second kind opens its circuit, so one
/// key pushing a provider into its rate limit never takes the provider away from every other key.
/// A retry waits as long as the provider's <c>Retry-After</c> asks when that is short, and does not
/// retry at all when it is long. Each test has its own gateway and mock provider, since a circuit
/// is state that outlives a request.
/// </summary>
public sealed class ProviderRateLimitTests : IAsyncLifetime
{
    private const string Model = "limited";
    private const string Provider = "limited-provider";
    private MockOpenAiUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider(Provider, _upstream.BaseUrl, "on-prem", Model);
        settings["Synapse:Resilience:MaxRetries"] = "2";
        settings["Synapse:Resilience:RetryBaseDelayMilliseconds"] = "5";
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "2";
        settings["Synapse:Resilience:CircuitFailureRatio"] = "0.5";
        settings["Synapse:Resilience:CircuitSamplingSeconds"] = "60";
        settings["Synapse:Resilience:CircuitBreakSeconds"] = "30";
        _gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task ProviderRateLimit_WithALongRetryAfter_IsPassedOnUntried_AndAnotherKeyIsStillServed()
    {
        var (_, first) = await _gateway.CreateKeyAsync([Model]);
        var (_, second) = await _gateway.CreateKeyAsync([Model]);
        using var firstClient = _gateway.ClientFor(first);
        using var secondClient = _gateway.ClientFor(second);
        _upstream.FailAllWithStatus = 429;
        _upstream.FailureHeader = ("Retry-After", "3");

        for (var i = 0; i < 4; i++)
        {
            using var response = await Post(firstClient, "limited-" + i, stream: i == 3);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);

            // Three seconds is longer than the gateway waits: the provider was asked once.
            Assert.Single(_upstream.RequestsFor("limited-" + i));
        }

        Assert.Equal("closed", await CircuitOfAsync());

        _upstream.FailAllWithStatus = null;
        using (var served = await Post(secondClient, "other-key"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        Assert.Single(_upstream.RequestsFor("other-key"));
    }

    [Theory]
    [InlineData("Retry-After", "1", 1000)]
    [InlineData("retry-after-ms", "400", 400)]
    public async Task ProviderRateLimit_WithAShortRetryAfter_IsRetriedOnceThatTimeHasPassed(string header, string value, int waitMilliseconds)
    {
        var (_, key) = await _gateway.CreateKeyAsync([Model]);
        using var client = _gateway.ClientFor(key);
        _upstream.FailureHeader = (header, value);
        _upstream.FailNext(1, 429);

        using var response = await Post(client, "short-wait");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var calls = _upstream.RequestsFor("short-wait").ToList();
        Assert.Equal(2, calls.Count);
        var waited = calls[1].ReceivedAt - calls[0].ReceivedAt;
        Assert.True(waited >= TimeSpan.FromMilliseconds(waitMilliseconds * 0.9), $"retried after {waited.TotalMilliseconds} ms");
        Assert.Equal("closed", await CircuitOfAsync());
    }

    [Fact]
    public async Task ProviderOutage_WithALongRetryAfter_IsNotRetried()
    {
        var (_, key) = await _gateway.CreateKeyAsync([Model]);
        using var client = _gateway.ClientFor(key);
        _upstream.FailureHeader = ("Retry-After", "30");
        _upstream.FailNext(1, 503);

        using var response = await Post(client, "long-outage");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Single(_upstream.RequestsFor("long-outage"));
    }

    [Fact]
    public async Task ProviderRefusingTheRequest_NeverOpensItsCircuit()
    {
        var (_, key) = await _gateway.CreateKeyAsync([Model]);
        using var client = _gateway.ClientFor(key);

        foreach (var (status, answered) in new[] { (400, HttpStatusCode.BadRequest), (413, HttpStatusCode.RequestEntityTooLarge) })
        {
            _upstream.FailAllWithStatus = status;
            for (var i = 0; i < 3; i++)
            {
                using var response = await Post(client, $"refused-{status}-{i}");
                Assert.Equal(answered, response.StatusCode);
                Assert.Single(_upstream.RequestsFor($"refused-{status}-{i}"));
            }
        }

        Assert.Equal("closed", await CircuitOfAsync());
        _upstream.FailAllWithStatus = null;
        using var served = await Post(client, "after-refusals");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task OpenCircuit_AnswersWithTheRestOfItsBreakAsRetryAfter()
    {
        var (_, key) = await _gateway.CreateKeyAsync([Model]);
        using var client = _gateway.ClientFor(key);
        _upstream.FailAllWithStatus = 500;
        for (var i = 0; i < 2; i++)
        {
            using var failed = await Post(client, "outage-" + i);
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        Assert.Equal("open", await CircuitOfAsync());
        var seen = _upstream.Requests.Count;

        foreach (var stream in new[] { false, true })
        {
            using var response = await Post(client, "while-open", stream);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("upstream_unavailable", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Assert.True(retryAfter is { } wait && wait >= TimeSpan.FromSeconds(1) && wait <= TimeSpan.FromSeconds(30), $"Retry-After: {response.Headers.RetryAfter}");
        }

        Assert.Equal(seen, _upstream.Requests.Count);
    }

    private async Task<string> CircuitOfAsync()
    {
        var providers = await _gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/api/providers");
        return providers!.Single(p => p!["name"]!.GetValue<string>() == Provider)!["circuit"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string marker, bool stream = false) =>
        client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, stream, messages = new[] { new { role = "user", content = marker } } });
}
