using System.Net;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Providers.Anthropic;
using Xunit;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Providers;

public sealed class AnthropicClientTests
{
    private const string MultiTurnRequest = """
        {
          "model": "claude-sonnet-4-5",
          "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "What is the weather in Paris?"},
            {"role": "user", "content": [
              {"type": "text", "text": "And this picture?"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo+/="}},
              {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "high"}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "toolu_01", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "toolu_01", "content": "18 C and sunny"},
            {"role": "user", "content": "Thanks. Summarise."}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
          "tool_choice": "required",
          "parallel_tool_calls": false,
          "temperature": 0.2,
          "top_p": 0.9,
          "stop": "END",
          "max_completion_tokens": 256,
          "user": "user-42"
        }
        """;

    private const string ExpectedMessagesRequest = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 256,
          "system": "You are terse.",
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "What is the weather in Paris?"},
              {"type": "text", "text": "And this picture?"},
              {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo+/="}},
              {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}
            ]},
            {"role": "assistant", "content": [
              {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18 C and sunny"},
              {"type": "text", "text": "Thanks. Summarise."}
            ]}
          ],
          "temperature": 0.2,
          "top_p": 0.9,
          "stop_sequences": ["END"],
          "tools": [{"name": "get_weather", "description": "Current weather",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
          "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
          "metadata": {"user_id": "user-42"}
        }
        """;

    // The shape of POST /v1/messages' answer in Anthropic's API reference.
    private const string MessagesResponse = """
        {
          "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-5-20250929",
          "content": [
            {"type": "text", "text": "Let me check \"Lyon\"."},
            {"type": "tool_use", "id": "toolu_02", "name": "get_weather", "input": {"city": "Lyon"}}
          ],
          "stop_reason": "tool_use",
          "stop_sequence": null,
          "usage": {"input_tokens": 120, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 10, "output_tokens": 30}
        }
        """;

    [Fact]
    public async Task Send_MultiTurnWithTools_SendsTranslatedMessagesRequest()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(MessagesResponse);
        var client = Client(upstream.BaseUrl);

        var reply = await client.SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Null(reply.Failure);
        var request = upstream.Last;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/messages", request.PathAndQuery);
        Assert.Equal("sk-ant-test", request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        AssertJsonEqual(ExpectedMessagesRequest, request.BodyText);
    }

    [Fact]
    public async Task Send_ToolUseAnswer_TranslatesToChatCompletion()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(MessagesResponse);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.NotNull(reply.Body);
        var created = Json(reply.Body!).GetProperty("created").GetInt64();
        AssertJsonEqual($$$"""
            {
              "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
              "object": "chat.completion",
              "created": {{{created}}},
              "model": "claude-sonnet-4-5-20250929",
              "choices": [{
                "index": 0,
                "message": {
                  "role": "assistant",
                  "content": "Let me check \"Lyon\".",
                  "refusal": null,
                  "tool_calls": [{"id": "toolu_02", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Lyon\"}"}}]
                },
                "logprobs": null,
                "finish_reason": "tool_calls"
              }],
              "usage": {"prompt_tokens": 130, "completion_tokens": 30, "total_tokens": 160, "prompt_tokens_details": {"cached_tokens": 10}}
            }
            """, reply.Body!);

        var completion = ParseWithOpenAiSdk(reply.Body!);
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Equal("Let me check \"Lyon\".", completion.Content[0].Text);
        Assert.Equal("get_weather", completion.ToolCalls[0].FunctionName);
        Assert.Equal("Lyon", Json(completion.ToolCalls[0].FunctionArguments.ToArray()).GetProperty("city").GetString());
        Assert.Equal(160, completion.Usage.TotalTokenCount);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    public async Task Send_StopReason_MapsToFinishReason(string stopReason, string finishReason)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json($$$"""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"Hi"}],
             "stop_reason":"{{{stopReason}}}","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}
            """);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call("""{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}"""), CancellationToken.None);

        Assert.Equal(finishReason, Json(reply.Body!).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        ParseWithOpenAiSdk(reply.Body!);
    }

    [Fact]
    public async Task Send_NoMaxTokens_UsesConfiguredDefault()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":0}}""");
        var options = Options(upstream.BaseUrl);
        options.DefaultMaxTokens = 1234;

        var reply = await new AnthropicClient(options, new HttpClient()).SendAsync(
            Call("""{"model":"claude-haiku-4-5","messages":[{"role":"developer","content":"A"},{"role":"system","content":[{"type":"text","text":"B"}]},{"role":"user","content":"Hi"}],"max_tokens":null}"""),
            CancellationToken.None);

        AssertJsonEqual("""
            {"model":"claude-haiku-4-5","max_tokens":1234,
             "system":[{"type":"text","text":"A"},{"type":"text","text":"B"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """, upstream.Last.BodyText);
        Assert.Null(Json(reply.Body!).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "invalid_request_error", "provider_invalid_request")]
    [InlineData(HttpStatusCode.Unauthorized, "authentication_error", "upstream_error")]
    [InlineData(HttpStatusCode.TooManyRequests, "rate_limit_error", "upstream_rate_limited")]
    [InlineData(HttpStatusCode.InternalServerError, "api_error", "upstream_error")]
    [InlineData((HttpStatusCode)529, "overloaded_error", "upstream_error")]
    public async Task Send_ErrorStatus_MapsToFailureWithoutEchoingTheBody(HttpStatusCode status, string errorType, string code)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json($$"""
            {"type":"error","error":{"type":"{{errorType}}","message":"secret prompt text sk-ant-leak"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}
            """, status);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Null(reply.Body);
        Assert.Equal(code, reply.Failure!.Code);
        Assert.Equal($"The provider returned HTTP {(int)status} ({errorType}).", reply.Failure.Message);
        Assert.DoesNotContain("secret", reply.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_MalformedAnswer_FailsAsUnreadable()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"id":"msg_1","content":[{"type":"text","te""");

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal("upstream_error", reply.Failure!.Code);
        Assert.Equal("The provider returned an answer that could not be read.", reply.Failure.Message);
    }

    [Fact]
    public async Task Send_ConnectionRefused_FailsAsUnreachable()
    {
        var reply = await Client(ClosedPort()).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal("upstream_error", reply.Failure!.Code);
        Assert.Equal("The provider could not be reached.", reply.Failure.Message);
    }

    [Fact]
    public async Task Send_SlowUpstream_FailsAsTimeout()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = async context => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        var options = Options(upstream.BaseUrl);
        options.TimeoutSeconds = 1;

        var reply = await new AnthropicClient(options, new HttpClient()).SendAsync(Call(MultiTurnRequest), CancellationToken.None);

        Assert.Equal("upstream_timeout", reply.Failure!.Code);
    }

    [Fact]
    public async Task Send_Embeddings_FailsClearly()
    {
        var reply = await Client(ClosedPort()).SendAsync(Call("""{"model":"x","input":"hi"}""", operation: RequestOperation.Embeddings), CancellationToken.None);

        Assert.Equal("invalid_request", reply.Failure!.Code);
        Assert.Equal("This model does not support embeddings.", reply.Failure.Message);
    }

    [Fact]
    public async Task Send_UnsupportedContentPart_FailsBeforeCallingUpstream()
    {
        await using var upstream = await MockUpstream.StartAsync();

        var reply = await Client(upstream.BaseUrl).SendAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}"""),
            CancellationToken.None);

        Assert.Equal("invalid_request", reply.Failure!.Code);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Stream_ToolUseEvents_TranslateChunkByChunk()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(AnthropicStreams.ToolUse);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Weather?"}],"stream":true,"stream_options":{"include_usage":true}}""", stream: true),
            CancellationToken.None));

        AssertJsonEqual("""{"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]}],"stream":true}""", upstream.Last.BodyText);
        Assert.Equal("text/event-stream", upstream.Last.Headers["Accept"]);
        Assert.All(events, e => Assert.Null(e.Failure));
        var created = Json(events[0].Data!).GetProperty("created").GetInt64();
        string Chunk(string choices, string extra = "") =>
            $$"""{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","object":"chat.completion.chunk","created":{{created}},"model":"claude-sonnet-4-5-20250929","choices":{{choices}}{{extra}}}""";
        string Delta(string delta, string finish = "null") => $$"""[{"index":0,"delta":{{delta}},"logprobs":null,"finish_reason":{{finish}}}]""";
        string[] expected =
        [
            Chunk(Delta("""{"role":"assistant","content":""}""")),
            Chunk(Delta("""{"content":"Okay"}""")),
            Chunk(Delta("""{"content":", checking \"Paris\"."}""")),
            Chunk(Delta("""{"tool_calls":[{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function","function":{"name":"get_weather","arguments":""}}]}""")),
            Chunk(Delta("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Pa"}}]}""")),
            Chunk(Delta("""{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]}""")),
            Chunk(Delta("{}", "\"tool_calls\"")),
            Chunk("[]", ""","usage":{"prompt_tokens":472,"completion_tokens":89,"total_tokens":561}"""),
        ];
        Assert.Equal(expected.Length, events.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertJsonEqual(expected[i], events[i].Data!);
            ParseChunkWithOpenAiSdk(events[i].Data!);
        }
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_EndsWithFinishChunk()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(AnthropicStreams.ToolUse);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Weather?"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal(7, events.Count);
        Assert.Equal("tool_calls", Json(events[^1].Data!).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_ErrorEvent_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(AnthropicStreams.OverloadedMidStream);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal(3, events.Count);
        Assert.NotNull(events[1].Data);
        Assert.Equal(new ProviderFailure("upstream_error", "The provider reported an error during the stream (overloaded_error)."), events[2].Failure);
    }

    [Fact]
    public async Task Stream_CutOffBeforeMessageStop_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(AnthropicStreams.ToolUse[..6]);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal("The provider ended the stream before the answer was complete.", events[^1].Failure!.Message);
    }

    [Fact]
    public async Task Stream_MalformedEvent_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream(AnthropicStreams.ToolUse[0], "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\n\n");

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal(2, events.Count);
        Assert.Equal("The provider returned an answer that could not be read.", events[1].Failure!.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "rate_limit_error", "upstream_rate_limited")]
    [InlineData((HttpStatusCode)529, "overloaded_error", "upstream_error")]
    public async Task Stream_ErrorStatus_IsOneFailureEvent(HttpStatusCode status, string errorType, string code)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json($$$"""{"type":"error","error":{"type":"{{{errorType}}}","message":"no"}}""", status);

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        var single = Assert.Single(events);
        Assert.Equal(code, single.Failure!.Code);
    }

    [Fact]
    public async Task Stream_ConnectionRefused_IsOneFailureEvent()
    {
        var events = await CollectAsync(Client(ClosedPort()).StreamAsync(
            Call("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true), CancellationToken.None));

        Assert.Equal("The provider could not be reached.", Assert.Single(events).Failure!.Message);
    }

    private static ProviderOptions Options(Uri baseUrl) => new()
    {
        Type = ProviderTypes.Anthropic,
        BaseUrl = baseUrl,
        ApiKey = "sk-ant-test",
        Location = "cloud",
    };

    private static AnthropicClient Client(Uri baseUrl) => new(Options(baseUrl), new HttpClient());
}
