using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenAI;
using OpenAI.Chat;
using static Synapse.Tests.Fields.WireAnswers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 16 §2: a provider's refusal keeps its class — 400 invalid, 413 too long, 429 with the
/// provider's <c>Retry-After</c> — with its error type, code and param and none of its message;
/// a 400 never fails over; server failures still do, and still answer 502.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class ProviderRefusalTests(WireFormatsFixture fixture)
{
    private const string PromptEcho = "the word json does not appear in: what is the weather in Paris";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProviderBadRequest_Is400WithItsTypeCodeAndParam_AndNeverFailsOver(bool stream)
    {
        using var client = await fixture.ClientAsync();
        var marker = "r" + Guid.NewGuid().ToString("N");
        fixture.PairA.Script(marker, $$$"""{"error":{"message":"'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'. {{{PromptEcho}}}","type":"invalid_request_error","param":"messages","code":"invalid_value"}}""", HttpStatusCode.BadRequest);

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model = WireFormatsFixture.PairModel, stream, response_format = new { type = "json_object" }, messages = new[] { new { role = "user", content = marker } } });
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(body)!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("invalid_value", error["code"]!.GetValue<string>());
        Assert.Equal("messages", error["param"]!.GetValue<string>());
        Assert.DoesNotContain("Paris", body, StringComparison.Ordinal);
        Assert.DoesNotContain("must contain", body, StringComparison.Ordinal);
        Assert.Single(fixture.PairA.BodiesWith(marker));
        Assert.Empty(fixture.PairB.BodiesWith(marker));
        var completion = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal(400, completion["httpStatus"]!.GetValue<int>());
    }

    /// <summary>
    /// The provider's <c>param</c> is a path into the request it received: the binding put the key's
    /// system prompt first (and demoted the client's), and Messages and Responses bodies were
    /// translated, so its message numbers and field names are not the client's.
    /// </summary>
    [Theory]
    [InlineData("/v1/chat/completions", "messages[2].content[0].image_url", "messages")]
    [InlineData("/v1/chat/completions", "tools[0].function.parameters", "tools[0].function.parameters")]
    [InlineData("/v1/responses", "messages[2].content", "input")]
    [InlineData("/v1/responses", "response_format.json_schema.schema", "text.format")]
    [InlineData("/v1/messages", "response_format", "output_config.format")]
    [InlineData("/v1/messages", "stop", "stop_sequences")]
    public async Task ProviderParam_NamesTheClientsOwnField_NeverTheInternalNumbering(string path, string providerParam, string clientParam)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, $$$"""{"error":{"message":"bad","type":"invalid_request_error","param":"{{{providerParam}}}","code":"invalid_value"}}""", HttpStatusCode.BadRequest);
        object body = path switch
        {
            "/v1/messages" => new { model, max_tokens = 50, system = "Be brief.", messages = new[] { new { role = "user", content = marker } } },
            "/v1/responses" => new { model, instructions = "Be brief.", input = marker },
            _ => new { model, messages = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = marker } } },
        };

        var response = await client.PostScannedAsync(path, body);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(provider.BodiesWith(marker));
        if (path == "/v1/messages")
        {
            // Anthropic's shape has no param: the field starts the message, as Anthropic writes it.
            Assert.StartsWith(clientParam + ": ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("invalid_value", response.Headers.GetValues("x-synapse-error-code").Single());
        }
        else
        {
            Assert.Equal(clientParam, error["param"]!.GetValue<string>());
            Assert.Equal("invalid_value", error["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task OpenAiSdk_GetsA400ItDoesNotRetry()
    {
        using var client = await fixture.ClientAsync();
        var secret = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var marker = "r" + Guid.NewGuid().ToString("N");
        fixture.PairA.Script(marker, """{"error":{"message":"bad","type":"invalid_request_error","param":"messages","code":null}}""", HttpStatusCode.BadRequest);
        var chat = new ChatClient(WireFormatsFixture.PairModel, new ApiKeyCredential(secret), new OpenAIClientOptions { Endpoint = fixture.Gateway.V1 });

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage(marker)]));

        Assert.Equal(400, refused.Status);
        Assert.Single(fixture.PairA.BodiesWith(marker));
        Assert.Empty(fixture.PairB.BodiesWith(marker));
    }

    [Theory]
    [InlineData("openai", """{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", "context_length_exceeded")]
    [InlineData("vllm", """{"object":"error","message":"This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.","type":"BadRequestError","param":null,"code":400}""", "context_length_exceeded")]
    [InlineData("anthropic", """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}""", "context_length_exceeded")]
    [InlineData("gemini", """{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""", "context_length_exceeded")]
    public async Task ContextTooLong_Is413_FromEveryProviderType(string type, string providerError, string code)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType[type];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, providerError, HttpStatusCode.BadRequest);

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = marker } } });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(code, JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("tokens", body, StringComparison.Ordinal);
        Assert.Single(provider.BodiesWith(marker));
    }

    [Theory]
    [InlineData(false, "7", "7")]
    [InlineData(true, "7", "7")]
    [InlineData(false, "99999999", "3600")]
    public async Task ProviderRateLimit_Is429WithItsRetryAfter_AtMostAnHour(bool stream, string given, string relayed)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = given;
            await context.Response.WriteAsync("""{"error":{"message":"Rate limit reached for gpt-4o","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""");
        });

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, stream, messages = new[] { new { role = "user", content = marker } } });
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(relayed, response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("tokens", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARateLimitedProvider_ThenAFailingOne_Answers429WithTheRateLimitsRetryAfter(bool stream)
    {
        using var client = await fixture.ClientAsync();
        var marker = "r" + Guid.NewGuid().ToString("N");
        fixture.PairA.Script(marker, async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7";
            await context.Response.WriteAsync("""{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");
        });
        fixture.PairB.Script(marker, """{"error":{"message":"boom","type":"server_error"}}""", HttpStatusCode.InternalServerError);

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model = WireFormatsFixture.PairModel, stream, messages = new[] { new { role = "user", content = marker } } });
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.NotEmpty(fixture.PairB.BodiesWith(marker));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
    }

    /// <summary>
    /// A provider's error type, code and param are repeated to the client, and their identifier
    /// shape does not keep data out of them (a card number has it): they are read by DLP, and one
    /// with a finding is left out, whatever the status.
    /// </summary>
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.BadRequest, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    public async Task ProviderErrorIdentifiers_AreReadByDlp_AndOneWithAFinding_IsLeftOut(HttpStatusCode status, bool stream)
    {
        const string Card = "4111111111111111";
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, $$$"""{"error":{"message":"x","type":"{{{Card}}}","param":"{{{Card}}}","code":"{{{Card}}}"}}""", status);

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, stream, messages = new[] { new { role = "user", content = marker } } });
        var body = await response.Content.ReadAsStringAsync();

        Assert.NotEmpty(provider.BodiesWith(marker));
        Assert.Equal(status == HttpStatusCode.InternalServerError ? HttpStatusCode.BadGateway : status, response.StatusCode);
        Assert.DoesNotContain(Card, body, StringComparison.Ordinal);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Null(error["param"]);
        Assert.False(string.IsNullOrEmpty(error["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GeminiRateLimit_CarriesItsRetryDelay()
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["gemini"];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, """{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}""", HttpStatusCode.TooManyRequests);

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = marker } } });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("37", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task ServerFailure_StillFailsOver_AndEveryProviderDown_Is502()
    {
        using var client = await fixture.ClientAsync();
        var failover = "r" + Guid.NewGuid().ToString("N");
        var down = "r" + Guid.NewGuid().ToString("N");
        fixture.PairA.Script(failover, """{"error":{"message":"boom","type":"server_error"}}""", HttpStatusCode.InternalServerError);
        fixture.PairA.Script(down, """{"error":{"message":"boom","type":"server_error"}}""", HttpStatusCode.InternalServerError);
        fixture.PairB.Script(down, """{"error":{"message":"overloaded","type":"server_error"}}""", HttpStatusCode.ServiceUnavailable);

        var served = await client.PostScannedAsync("/v1/chat/completions", new { model = WireFormatsFixture.PairModel, messages = new[] { new { role = "user", content = failover } } });
        var failed = await client.PostScannedAsync("/v1/chat/completions", new { model = WireFormatsFixture.PairModel, messages = new[] { new { role = "user", content = down } } });

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.NotEmpty(fixture.PairB.BodiesWith(failover));
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("upstream_error", (await failed.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnswerShapes_StayOpenAis()
    {
        // Guards the test's own scripts: a scripted OpenAI answer passes through unchanged in meaning.
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "r" + Guid.NewGuid().ToString("N");
        provider.Script(marker, OpenAi("""{"role":"assistant","content":"fine"}"""));

        var answer = await (await client.PostScannedAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = marker } } })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal("fine", answer!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("chatcmpl-w1", answer["id"]!.GetValue<string>());
        Assert.Equal(14, answer["usage"]!["total_tokens"]!.GetValue<int>());
    }
}
