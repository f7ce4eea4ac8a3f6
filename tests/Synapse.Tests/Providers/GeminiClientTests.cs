using System.Net;
using OpenAI.Chat;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Providers.Gemini;
using Xunit;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Providers;

public sealed class GeminiClientTests
{
    private const string MultiTurnRequest = """
        {
          "model": "gemini-2.5-flash",
          "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": [
              {"type": "text", "text": "Weather in Paris? And this?"},
              {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ+Sk="}}
            ]},
            {"role": "assistant", "content": "Checking.", "tool_calls": [
              {"id": "call_1__thought__c2lnbmF0dXJl", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_1__thought__c2lnbmF0dXJl", "content": "18 C and sunny"},
            {"role": "user", "content": "Thanks."}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "strict": {"type": "boolean"}}, "required": ["city"], "additionalProperties": false}}}],
          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
          "temperature": 0.2,
          "top_p": 0.9,
          "stop": ["END"],
          "max_tokens": 256
        }
        """;

    private const string ExpectedGenerateContentRequest = """
        {
          "contents": [
            {"role": "user", "parts": [
              {"text": "Weather in Paris? And this?"},
              {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4AAQ+Sk="}}
            ]},
            {"role": "model", "parts": [
              {"text": "Checking."},
              {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "c2lnbmF0dXJl"}
            ]},
            {"role": "user", "parts": [
              {"functionResponse": {"name": "get_weather", "response": {"result": "18 C and sunny"}}},
              {"text": "Thanks."}
            ]}
          ],
          "systemInstruction": {"parts": [{"text": "You are terse."}]},
          "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "strict": {"type": "boolean"}}, "required": ["city"]}}]}],
          "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
          "generationConfig": {"temperature": 0.2, "topP": 0.9, "maxOutputTokens": 256, "stopSequences": ["END"]}
        }
        """;

    // The GenerateContentResponse shape from the Gemini API reference.
    private const string FunctionCallResponse = """
        {
          "candidates": [{
            "content": {"parts": [
              {"text": "Let me look."},
              {"functionCall": {"name": "get_weather", "args": {"city": "Lyon"}}, "thoughtSignature": "c2ln"}
            ], "role": "model"},
            "finishReason": "STOP",
            "index": 0
          }],
          "usageMetadata": {"promptTokenCount": 50, "candidatesTokenCount": 10, "thoughtsTokenCount": 5, "totalTokenCount": 65},
          "modelVersion": "gemini-2.5-flash",
          "responseId": "mM4VaNLzC8mnz7IP3Z6Q8Ao"
        }
        """;

    [Fact]
    public async Task Send_MultiTurnWithTools_SendsTranslatedGenerateContentRequest()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(FunctionCallResponse);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Null(reply.Failure);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", upstream.Last.PathAndQuery);
        Assert.Equal("AIza-test", upstream.Last.Headers["x-goog-api-key"]);
        AssertJsonEqual(ExpectedGenerateContentRequest, upstream.Last.BodyText);
    }

    [Fact]
    public async Task Send_FunctionCallAnswer_TranslatesToChatCompletion()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(FunctionCallResponse);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        var body = Json(reply.Body!);
        var toolCallId = body.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("id").GetString()!;
        Assert.StartsWith("call_", toolCallId, StringComparison.Ordinal);
        Assert.EndsWith("__thought__c2ln", toolCallId, StringComparison.Ordinal);
        AssertJsonEqual($$$"""
            {
              "id": "mM4VaNLzC8mnz7IP3Z6Q8Ao",
              "object": "chat.completion",
              "created": {{{body.GetProperty("created").GetInt64()}}},
              "model": "gemini-2.5-flash",
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": "Let me look.",
                  "refusal": null,
                  "tool_calls": [{"id": "{{{toolCallId}}}", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Lyon\"}"}}]
                },
                "logprobs": null,
                "finish_reason": "tool_calls"
              }],
              "usage": {"prompt_tokens": 50, "completion_tokens": 15, "total_tokens": 65}
            }
            """, reply.Body!);

        var completion = ParseWithOpenAiSdk(reply.Body!);
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("get_weather", completion.ToolCalls[0].FunctionName);
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("OTHER", "stop")]
    public async Task Send_FinishReason_MapsToOpenAi(string finishReason, string expected)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json($$$"""
            {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"{{{finishReason}}}","index":0}],
             "usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1,"totalTokenCount":3},"modelVersion":"gemini-2.5-flash"}
            """);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}"""), CancellationToken.None);

        Assert.Equal(expected, Json(reply.Body!).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("chatcmpl-req-1", Json(reply.Body!).GetProperty("id").GetString());
        ParseWithOpenAiSdk(reply.Body!);
    }

    [Fact]
    public async Task Send_BlockedPrompt_IsContentFilterWithoutContent()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7},"modelVersion":"gemini-2.5-flash"}""");

        var reply = await Client(upstream.BaseUrl).SendAsync(Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"x"}]}"""), CancellationToken.None);

        var completion = ParseWithOpenAiSdk(reply.Body!);
        Assert.Equal(ChatFinishReason.ContentFilter, completion.FinishReason);
        Assert.Empty(completion.Content);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "provider_invalid_request")]
    [InlineData(HttpStatusCode.Forbidden, "PERMISSION_DENIED", "upstream_error")]
    [InlineData(HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "upstream_rate_limited")]
    [InlineData(HttpStatusCode.InternalServerError, "INTERNAL", "upstream_error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "upstream_error")]
    [InlineData(HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED", "upstream_timeout")]
    public async Task Send_ErrorStatus_MapsToFailureWithoutEchoingTheBody(HttpStatusCode status, string googleStatus, string code)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json($$$"""
            {"error": {"code": {{{(int)status}}}, "message": "API key AIza-secret-leak not valid.", "status": "{{{googleStatus}}}"}}
            """, status);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal(code, reply.Failure!.Code);
        Assert.Equal($"The provider returned HTTP {(int)status} ({googleStatus}).", reply.Failure.Message);
    }

    [Fact]
    public async Task Send_MalformedAnswer_FailsAsUnreadable()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"candidates":[{"content":""");

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal("The provider returned an answer that could not be read.", reply.Failure!.Message);
    }

    [Fact]
    public async Task Send_ConnectionRefused_FailsAsUnreachable()
    {
        var reply = await Client(ClosedPort()).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal("The provider could not be reached.", reply.Failure!.Message);
    }

    [Fact]
    public async Task Send_Embeddings_UsesBatchEmbedContents()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"embeddings":[{"values":[0.25,-0.5]},{"values":[1.0,0.0]}]}""");

        var reply = await Client(upstream.BaseUrl).SendAsync(
            Call("""{"model":"gemini-embedding-001","input":["a","b"],"dimensions":2}""", operation: RequestOperation.Embeddings),
            CancellationToken.None);

        Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", upstream.Last.PathAndQuery);
        AssertJsonEqual("""
            {"requests":[
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"outputDimensionality":2},
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"outputDimensionality":2}
            ]}
            """, upstream.Last.BodyText);
        AssertJsonEqual("""
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":[0.25,-0.5]},
              {"object":"embedding","index":1,"embedding":[1.0,0.0]}
            ],"model":"gemini-embedding-001","usage":{"prompt_tokens":0,"total_tokens":0}}
            """, reply.Body!);
        var embeddings = System.ClientModel.Primitives.ModelReaderWriter.Read<OpenAI.Embeddings.OpenAIEmbeddingCollection>(BinaryData.FromBytes(reply.Body!))!;
        Assert.Equal(-0.5f, embeddings[0].ToFloats().Span[1]);
    }

    [Fact]
    public async Task Stream_TextThenFunctionCall_TranslatesChunkByChunk()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(GeminiStreams.TextThenFunctionCall);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Weather?"}],"stream":true,"stream_options":{"include_usage":true}}""", stream: true),
            CancellationToken.None));

        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", upstream.Last.PathAndQuery);
        AssertJsonEqual("""{"contents":[{"role":"user","parts":[{"text":"Weather?"}]}]}""", upstream.Last.BodyText);
        Assert.All(events, e => Assert.Null(e.Failure));
        var created = Json(events[0].Data!).GetProperty("created").GetInt64();
        var toolCallId = Json(events[2].Data!).GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        string Chunk(string choices, string extra = "") =>
            $$"""{"id":"resp-1","object":"chat.completion.chunk","created":{{created}},"model":"gemini-2.5-flash","choices":{{choices}}{{extra}}}""";
        string Delta(string delta, string finish = "null") => $$"""[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]""";
        string[] expected =
        [
            Chunk(Delta("""{"role":"assistant","content":"It is"}""")),
            Chunk(Delta("""{"content":" time to check."}""")),
            Chunk(Delta($$$"""{"tool_calls":[{"index":0,"id":"{{{toolCallId}}}","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}""")),
            Chunk(Delta("{}", "\"tool_calls\"")),
            Chunk("[]", ""","usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}"""),
        ];
        Assert.Equal(expected.Length, events.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertJsonEqual(expected[i], events[i].Data!);
            ParseChunkWithOpenAiSdk(events[i].Data!);
        }
    }

    [Fact]
    public async Task Stream_ErrorObjectMidStream_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(
            GeminiStreams.TextThenFunctionCall[0],
            "data: {\"error\": {\"code\": 503, \"message\": \"The model is overloaded.\", \"status\": \"UNAVAILABLE\"}}\r\n\r\n");

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal(2, events.Count);
        Assert.Equal(new ProviderFailure("upstream_error", "The provider reported an error during the stream (UNAVAILABLE)."), events[1].Failure);
    }

    [Fact]
    public async Task Stream_CutOffBeforeFinishReason_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(GeminiStreams.TextThenFunctionCall[..2]);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal("The provider ended the stream before the answer was complete.", events[^1].Failure!.Message);
    }

    [Fact]
    public async Task Stream_RateLimited_IsOneFailureEvent()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}""", HttpStatusCode.TooManyRequests);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal("upstream_rate_limited", Assert.Single(events).Failure!.Code);
    }

    [Fact]
    public async Task Send_ToolMessageWithUnknownId_FailsAsInvalidRequest()
    {
        var reply = await Client(ClosedPort()).SendAsync(
            Call("""{"model":"g","messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]}"""), CancellationToken.None);

        Assert.Equal("invalid_request", reply.Failure!.Code);
    }

    private static GeminiClient Client(Uri baseUrl) => new(new ProviderOptions
    {
        Type = ProviderTypes.Gemini,
        BaseUrl = baseUrl,
        ApiKey = "AIza-test",
        Location = "cloud",
    }, new HttpClient());
}
