using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Numeric parameters the gateway forwards are checked at the gateway: a number that does not fit
/// its type (<c>1e400</c> overflows a double, <c>1.5</c> is not a whole number) or lies outside the
/// range the client's API documents is a 400 in the client's error shape with an audit row, never
/// forwarded for the provider to refuse, and never a 500.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class SamplingParameterTests(WireFormatsFixture fixture)
{
    public static TheoryData<string, string> ChatCompletions => new()
    {
        { "temperature", "1e400" },
        { "temperature", "-1e400" },
        { "temperature", "2.5" },
        { "temperature", "-0.1" },
        { "top_p", "1e400" },
        { "presence_penalty", "1e400" },
        { "presence_penalty", "2.01" },
        { "frequency_penalty", "-1e400" },
        { "frequency_penalty", "-3" },
        { "top_logprobs", "21" },
        { "top_logprobs", "-1" },
        { "top_k", "1e400" },
        { "min_p", "1e400" },
        { "repetition_penalty", "-1e400" },
        { "logit_bias", """{"50256":1e400}""" },
        { "seed", "1e400" },
        { "n", "1e400" },
        { "max_tokens", "1e400" },
        { "max_completion_tokens", "1.5" },
    };

    [Theory]
    [MemberData(nameof(ChatCompletions))]
    public async Task OnChatCompletions_AnUnrepresentableOrOutOfRangeNumber_Is400InOpenAisShape_Audited(string field, string value)
    {
        var (model, provider) = fixture.ByType["vllm"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        var body = $$"""{"model":"{{model}}","{{field}}":{{value}},"messages":[{"role":"user","content":"{{marker}}"}]}""";

        var response = await client.PostAsync("/v1/chat/completions", Json(body));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(field, error["param"]!.GetValue<string>());
        var row = Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response));
        Assert.Equal("invalid_request", row["outcome"]!.GetValue<string>());
        Assert.Equal(400, row["httpStatus"]!.GetValue<int>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Fact]
    public async Task OnChatCompletions_TheEdgesOfEachDocumentedRange_AreForwarded()
    {
        var (model, provider) = fixture.ByType["vllm"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        var body = $$"""{"model":"{{model}}","temperature":2,"top_p":1,"presence_penalty":-2,"frequency_penalty":2.0,"top_logprobs":20,"logprobs":true,"seed":-9223372036854775808,"top_k":-1,"logit_bias":{"50256":-100},"messages":[{"role":"user","content":"{{marker}}"}]}""";

        var response = await client.PostAsync("/v1/chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent(provider, marker);
        Assert.Equal(2, sent["temperature"]!.GetValue<double>());
        Assert.Equal(-9223372036854775808, sent["seed"]!.GetValue<long>());
    }

    public static TheoryData<string, string> Messages => new()
    {
        { "temperature", "1e400" },
        { "temperature", "1.5" },
        { "temperature", "-0.5" },
        { "top_p", "1e400" },
        { "top_k", "1e400" },
        { "top_k", "2.5" },
        { "max_tokens", "1e400" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task OnMessages_AnUnrepresentableOrOutOfRangeNumber_Is400InAnthropicsShape_Audited(string field, string value)
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = Marker();
        var maxTokens = field == "max_tokens" ? string.Empty : "\"max_tokens\":10,";
        var body = $$"""{"model":"{{model}}",{{maxTokens}}"{{field}}":{{value}},"messages":[{"role":"user","content":"{{marker}}"}]}""";

        var response = await client.PostAsync("/v1/messages", Json(body));
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith(field, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var row = Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response));
        Assert.Equal("invalid_request", row["outcome"]!.GetValue<string>());
        Assert.Equal("messages", row["api"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Fact]
    public async Task OnMessages_AnthropicsTemperatureRange_IsForwardedToItsEdge()
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsync("/v1/messages", Json($$"""{"model":"{{model}}","max_tokens":10,"temperature":1.0,"top_k":5,"messages":[{"role":"user","content":"{{marker}}"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1.0, Sent(provider, marker)["temperature"]!.GetValue<double>());
    }

    public static TheoryData<string, string, string> Responses => new()
    {
        { "temperature", "1e400", "temperature" },
        { "temperature", "2.5", "temperature" },
        { "top_p", "-1e400", "top_p" },
        { "max_output_tokens", "1e400", "max_output_tokens" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task OnResponses_AnUnrepresentableOrOutOfRangeNumber_Is400NamingTheClientsField(string field, string value, string param)
    {
        var (model, provider) = fixture.ByType["gemini"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsync("/v1/responses", Json($$"""{"model":"{{model}}","{{field}}":{{value}},"input":"{{marker}}"}"""));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request", Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response))["outcome"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("0")]
    [InlineData("1.5")]
    public async Task OnEmbeddings_DimensionsThatAreNotAPositiveWholeNumber_Are400(string value)
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsync("/v1/embeddings", Json($$"""{"model":"{{model}}","dimensions":{{value}},"input":"{{marker}}"}"""));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dimensions", error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request", Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response))["outcome"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Marker() => "m" + Guid.NewGuid().ToString("N");
}
