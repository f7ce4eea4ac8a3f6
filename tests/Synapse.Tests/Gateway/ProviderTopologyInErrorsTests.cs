using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A client holding a key learns the model it asked for and why the call failed, never the
/// operator's topology: the configured provider's name, its type or its host are not in an error
/// body or a streamed error event on any client API. The operator still finds the provider in the
/// audit row. Each failure has a provider of its own, so one test's failures never open the
/// circuit another test goes through.
/// </summary>
public sealed class ProviderTopologyInErrorsTests : IAsyncLifetime
{
    private const string ServerError = "m-server-error";
    private const string InvalidRequest = "m-invalid-request";
    private const string RateLimited = "m-rate-limited";
    private const string Slow = "m-slow";
    private const string Unreachable = "m-unreachable";
    private const string BrokenStream = "m-broken-stream";
    private const string Tripping = "m-tripping";
    private const string MessagesError = "m-messages-error";
    private const string MessagesBrokenStream = "m-messages-broken-stream";
    private const string ResponsesError = "m-responses-error";

    private static readonly string[] Models =
        [ServerError, InvalidRequest, RateLimited, Slow, Unreachable, BrokenStream, Tripping, MessagesError, MessagesBrokenStream, ResponsesError];

    private readonly int _deadPort = FreePort.Next();
    private MockOpenAiUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    /// <summary>The operator's name for the provider serving <paramref name="model"/>: distinctive, so its absence means something.</summary>
    private static string ProviderOf(string model) => "acme-rack7-" + model["m-".Length..];

    public async Task InitializeAsync()
    {
        _upstream = await MockOpenAiUpstream.StartAsync();
        _upstream.FailureByModel[ServerError] = 500;
        _upstream.FailureByModel[InvalidRequest] = 400;
        _upstream.FailureByModel[RateLimited] = 429;
        _upstream.FailureByModel[Tripping] = 503;
        _upstream.FailureByModel[MessagesError] = 502;
        _upstream.FailureByModel[ResponsesError] = 500;
        _upstream.DelayByModel[Slow] = TimeSpan.FromSeconds(5);
        _upstream.BreakStreamByModel[BrokenStream] = true;
        _upstream.BreakStreamByModel[MessagesBrokenStream] = true;

        var settings = new Dictionary<string, string?>();
        foreach (var model in Models)
        {
            var baseUrl = model == Unreachable ? new Uri($"http://127.0.0.1:{_deadPort}/v1") : _upstream.BaseUrl;
            foreach (var (key, value) in GatewayHost.Provider(ProviderOf(model), baseUrl, "on-prem", model))
            {
                settings[key] = value;
            }
        }

        settings[$"Synapse:Providers:{ProviderOf(Slow)}:TimeoutSeconds"] = "1";
        settings["Synapse:Resilience:MaxRetries"] = "0";
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "2";
        settings["Synapse:Resilience:CircuitBreakSeconds"] = "30";
        _gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData(ServerError, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(InvalidRequest, HttpStatusCode.BadRequest, "invalid_api_key")]
    [InlineData(RateLimited, HttpStatusCode.TooManyRequests, "invalid_api_key")]
    [InlineData(Slow, HttpStatusCode.BadGateway, "upstream_timeout")]
    [InlineData(Unreachable, HttpStatusCode.BadGateway, "upstream_error")]
    public async Task AFailingProvider_IsNotNamedInTheError_ButIsInTheAuditRow(string model, HttpStatusCode status, string code)
    {
        var response = await ChatAsync(model, stream: false);
        var text = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(text)!["error"]!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        AssertNoTopology(text, model);
        Assert.Contains($"'{model}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var completion = Assert.Single(await _gateway.AuditEventsOfAsync(response), e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal(ProviderOf(model), completion["provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task AProviderTakenOutOfRotation_IsNotNamedInTheError()
    {
        JsonNode? error = null;
        string text = string.Empty;
        for (var attempt = 0; attempt < 10 && error?["code"]?.GetValue<string>() != "upstream_unavailable"; attempt++)
        {
            var response = await ChatAsync(Tripping, stream: false);
            text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            error = JsonNode.Parse(text)!["error"];
        }

        Assert.Equal("upstream_unavailable", error!["code"]!.GetValue<string>());
        AssertNoTopology(text, Tripping);
        Assert.Contains($"'{Tripping}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamThatBreaks_EndsWithAnErrorThatDoesNotNameTheProvider()
    {
        var response = await ChatAsync(BrokenStream, stream: true);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"upstream_error\"", text, StringComparison.Ordinal);
        AssertNoTopology(text, BrokenStream);
    }

    [Fact]
    public async Task OnTheMessagesApi_AFailingProvider_IsNotNamedInTheError()
    {
        using var client = await AnthropicClientAsync(MessagesError);

        var response = await client.PostAsJsonAsync("/v1/messages", new { model = MessagesError, max_tokens = 20, messages = new[] { new { role = "user", content = "hello" } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("api_error", JsonNode.Parse(text)!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("upstream_error", response.Headers.GetValues("x-synapse-error-code").Single());
        AssertNoTopology(text, MessagesError);
    }

    [Fact]
    public async Task OnTheMessagesApi_AStreamThatBreaks_EndsWithAnErrorThatDoesNotNameTheProvider()
    {
        using var client = await AnthropicClientAsync(MessagesBrokenStream);

        var response = await client.PostAsJsonAsync("/v1/messages", new { model = MessagesBrokenStream, max_tokens = 20, stream = true, messages = new[] { new { role = "user", content = "one two three four" } } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("api_error", text, StringComparison.Ordinal);
        AssertNoTopology(text, MessagesBrokenStream);
    }

    [Fact]
    public async Task OnTheResponsesApi_AFailingProvider_IsNotNamedInTheError()
    {
        var (_, secret) = await _gateway.CreateKeyAsync([ResponsesError]);
        using var client = _gateway.ClientFor(secret);

        var response = await client.PostAsJsonAsync("/v1/responses", new { model = ResponsesError, input = "hello", store = false });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", JsonNode.Parse(text)!["error"]!["code"]!.GetValue<string>());
        AssertNoTopology(text, ResponsesError);
    }

    private async Task<HttpResponseMessage> ChatAsync(string model, bool stream)
    {
        var (_, secret) = await _gateway.CreateKeyAsync([model]);
        using var client = _gateway.ClientFor(secret);
        return await client.PostAsJsonAsync("/v1/chat/completions", new { model, stream, messages = new[] { new { role = "user", content = "one two three four" } } });
    }

    private async Task<HttpClient> AnthropicClientAsync(string model)
    {
        var (_, secret) = await _gateway.CreateKeyAsync([model]);
        var client = new HttpClient { BaseAddress = _gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", secret);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    /// <summary>Neither the provider's name, nor its type, nor its host, nor the upstream's own error text.</summary>
    private void AssertNoTopology(string text, string model)
    {
        Assert.DoesNotContain(ProviderOf(model), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("acme", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("OpenAI-compatible", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_upstream.BaseUrl.Port.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain(_deadPort.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain(MockOpenAiUpstream.SecretInErrors, text, StringComparison.Ordinal);
    }
}
