using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 16 §3: every field of OpenAI's Chat Completions request is forwarded, dropped with the
/// <c>x-synapse-dropped-fields</c> header, or refused with a 400 that names it — as the README's
/// table says — and vendor parameters reach only the server types that take them.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class FieldDecisionTests(WireFormatsFixture fixture)
{
    [Theory]
    [InlineData("audio", """{"voice":"alloy","format":"wav"}""")]
    [InlineData("modalities", """["text","audio"]""")]
    [InlineData("web_search_options", """{"search_context_size":"low"}""")]
    [InlineData("store", "true")]
    [InlineData("prompt_cache_retention", "\"24h\"")]
    [InlineData("temperature", "\"hot\"")]
    [InlineData("stop", "[1,2]")]
    [InlineData("api_base", "\"http://evil.example\"")]
    public async Task RefusedField_Gets400NamingIt_AndNothingIsForwarded(string field, string value)
    {
        var (response, sent) = await SendAsync("openai", new JsonObject { [field] = JsonNode.Parse(value) });
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, error["param"]!.GetValue<string>());
        Assert.Null(sent);
    }

    [Fact]
    public async Task FileId_IsRefused_BecauseTheGatewayCannotReadIt()
    {
        var message = JsonNode.Parse("""{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}""")!.AsObject();
        var (response, sent) = await SendAsync("openai", [], message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages[1].content[0].file.file_id", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Null(sent);
    }

    [Fact]
    public async Task SafeFields_AreForwarded_AsSent()
    {
        var fields = JsonNode.Parse("""
            {"safety_identifier":"user-hash-1","service_tier":"flex","verbosity":"low","prompt_cache_key":"faq-v2",
             "prompt_cache_retention":"in_memory","store":false,"reasoning_effort":"low","seed":7,"n":1,
             "logprobs":true,"top_logprobs":2,"logit_bias":{"1234":-5},"max_completion_tokens":50,"modalities":["text"],
             "prediction":{"type":"content","content":"draft"},"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}},"strict":true}}],"tool_choice":"none"}
            """)!.AsObject();

        var (response, sent) = await SendAsync("openai", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(DroppedFields.HeaderName));
        foreach (var (name, value) in fields)
        {
            Assert.True(JsonNode.DeepEquals(value, sent![name]), $"'{name}' was not forwarded as sent");
        }
    }

    [Fact]
    public async Task DroppedFields_AreNamedInTheHeader_AndNeverForwarded()
    {
        var fields = JsonNode.Parse("""{"metadata":{"ticket":"T-1"},"x_trace":"abc","Sk_LIVE_4eC39HqLyjWDarjtT1zdp7dc":1}""")!.AsObject();

        var (response, sent) = await SendAsync("openai", fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("metadata, (2 unknown)", response.Headers.GetValues(DroppedFields.HeaderName).Single());
        Assert.False(sent!.ContainsKey("metadata"));
        Assert.False(sent.ContainsKey("x_trace"));
        Assert.DoesNotContain("4eC39", sent.ToJsonString(), StringComparison.Ordinal);
        var request = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "request");
        Assert.Equal("""{"droppedFields":["metadata","(2 unknown)"]}""", request["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("vllm", true, true, "")]
    [InlineData("openai", false, false, "top_k, min_p, repetition_penalty")]
    [InlineData("azure-openai", false, false, "top_k, min_p, repetition_penalty")]
    [InlineData("anthropic", true, false, "min_p, repetition_penalty")]
    [InlineData("gemini", true, false, "min_p, repetition_penalty")]
    public async Task VendorParameters_ReachOnlyTheServersThatTakeThem(string type, bool takesTopK, bool takesTheRest, string reported)
    {
        var (response, sent) = await SendAsync(type, new JsonObject { ["top_k"] = 40, ["min_p"] = 0.05, ["repetition_penalty"] = 1.1 });
        var text = sent!.ToJsonString();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(takesTopK, text.Contains("\"top_k\":40", StringComparison.Ordinal) || text.Contains("\"topK\":40", StringComparison.Ordinal));
        Assert.Equal(takesTheRest, text.Contains("min_p", StringComparison.Ordinal));
        Assert.Equal(takesTheRest, text.Contains("repetition_penalty", StringComparison.Ordinal));
        Assert.Equal(reported, response.Headers.TryGetValues(DroppedFields.HeaderName, out var values) ? values.Single() : string.Empty);
    }

    [Fact]
    public async Task UnknownKeysInMessagesAndParts_AreDroppedAndNamed()
    {
        var message = JsonNode.Parse("""{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}],"x_meta":"m"}""")!.AsObject();

        var (response, sent) = await SendAsync("openai", [], message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("messages[1].(1 unknown), messages[1].content[0].cache_control", response.Headers.GetValues(DroppedFields.HeaderName).Single());
        Assert.DoesNotContain("cache_control", sent!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("x_meta", sent.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalPart_InAUserMessage_IsRefused_AndNeverBecomesUserText()
    {
        var message = JsonNode.Parse("""{"role":"user","content":[{"type":"refusal","refusal":"I will not."}]}""")!.AsObject();

        var (response, sent) = await SendAsync("anthropic", [], message);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages[1].content[0].type", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Null(sent);
    }

    [Fact]
    public async Task EmbeddingsTokenIds_AreRefused_AndUnknownFieldsDropped()
    {
        using var client = await fixture.ClientAsync();
        var model = fixture.ByType["openai"].Model;

        var tokens = await client.PostScannedAsync("/v1/embeddings", new { model, input = new[] { new[] { 1, 2, 3 } } });
        var dropped = await client.PostScannedAsync("/v1/embeddings", new { model, input = "hello", x_tag = "t" });

        Assert.Equal(HttpStatusCode.BadRequest, tokens.StatusCode);
        Assert.Equal("input", (await tokens.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal("(1 unknown)", dropped.Headers.GetValues(DroppedFields.HeaderName).Single());
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Sent)> SendAsync(string type, JsonObject fields, JsonObject? message = null)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType[type];
        var marker = "f" + Guid.NewGuid().ToString("N");
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = marker });
        if (message is not null)
        {
            messages.Add(message);
        }

        var body = new JsonObject { ["model"] = model, ["messages"] = messages };
        foreach (var (name, value) in fields)
        {
            body[name] = value?.DeepClone();
        }

        var response = await client.PostScannedAsync("/v1/chat/completions", body);
        var sent = provider.BodiesWith(marker).LastOrDefault();
        return (response, sent is null ? null : JsonNode.Parse(sent)!.AsObject());
    }
}
