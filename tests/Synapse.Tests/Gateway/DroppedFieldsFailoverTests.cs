using System.Net;
using System.Net.Http.Json;
using Synapse.Binding;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// <c>x-synapse-dropped-fields</c> names what the provider that answered was not sent. The route
/// here is a vLLM server (takes <c>top_k</c>) and, behind it, an OpenAI-type provider (does not):
/// when the first fails over to the second, the header must say <c>top_k</c> was left out, and
/// when the first answers, it must not.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DroppedFieldsFailoverTests : IAsyncLifetime
{
    private const string Model = "shared";
    private MockOpenAiUpstream _vllm = null!;
    private MockOpenAiUpstream _openAi = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _vllm = await MockOpenAiUpstream.StartAsync();
        _openAi = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("a-vllm", _vllm.BaseUrl, "on-prem", Model);
        settings["Synapse:Providers:a-vllm:Type"] = "vllm";
        foreach (var (key, value) in GatewayHost.Provider("b-openai", _openAi.BaseUrl, "cloud", Model))
        {
            settings[key] = value;
        }

        settings["Synapse:Resilience:MaxRetries"] = "0";
        _gateway = await GatewayHost.StartAsync(settings);
        var (_, secret) = await _gateway.CreateKeyAsync([Model], classification: "non_sensitive");
        _client = _gateway.ClientFor(secret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _vllm.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheHeader_NamesWhatTheAnsweringProviderWasNotSent(bool stream)
    {
        // The first provider answers: it takes top_k, so nothing is reported.
        var served = await SendAsync(stream, "first-answers");
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Contains("\"top_k\":40", Assert.Single(_vllm.RequestsFor("first-answers")).Body, StringComparison.Ordinal);
        Assert.Null(served.Header);
        Assert.DoesNotContain("droppedFields", served.CompletionDetail, StringComparison.Ordinal);

        // The first fails: the second answers without top_k; the header says so, and so does the
        // completion row (the request row was written before the failover, for the first provider).
        _vllm.FailAllWithStatus = 503;
        var failedOver = await SendAsync(stream, "failed-over");
        Assert.Equal(HttpStatusCode.OK, failedOver.Status);
        Assert.Single(_vllm.RequestsFor("failed-over"));
        Assert.DoesNotContain("top_k", Assert.Single(_openAi.RequestsFor("failed-over")).Body, StringComparison.Ordinal);
        Assert.Equal("top_k", failedOver.Header);
        Assert.Equal("b-openai", failedOver.CompletionProvider);
        Assert.Contains("\"droppedFields\":[\"top_k\"]", failedOver.CompletionDetail, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string? Header, string? CompletionProvider, string CompletionDetail)> SendAsync(bool stream, string marker)
    {
        using var response = await _client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, stream, top_k = 40, messages = new[] { new { role = "user", content = marker } } });
        var body = await response.Content.ReadAsStringAsync();
        if (stream)
        {
            Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        }

        var completion = (await _gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        return (
            response.StatusCode,
            response.Headers.TryGetValues(DroppedFields.HeaderName, out var values) ? values.Single() : null,
            completion["provider"]?.GetValue<string>(),
            completion["detail"]?.GetValue<string>() ?? string.Empty);
    }
}
