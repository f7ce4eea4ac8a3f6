using System.Text.Json;

namespace Synapse.Tests.Fields;

/// <summary>
/// Provider answers in each wire format, as their API references show them: OpenAI's
/// <c>chat.completion</c> and chunks, Anthropic's Messages and its events, Gemini's
/// <c>GenerateContentResponse</c> (whole, and one per server-sent event).
/// </summary>
public static class WireAnswers
{
    public static string Quote(string text) => JsonSerializer.Serialize(text);

    public static string Whole(WireFormat format, string text) => format switch
    {
        WireFormat.OpenAi => OpenAi($$$"""{"role":"assistant","content":{{{Quote(text)}}},"refusal":null}"""),
        WireFormat.Anthropic => Anthropic($$$"""{"type":"text","text":{{{Quote(text)}}}}"""),
        _ => Gemini($$$"""{"text":{{{Quote(text)}}}}"""),
    };

    public static string[] Stream(WireFormat format, params string[] pieces) => format switch
    {
        WireFormat.OpenAi => OpenAiStream([.. pieces.Select(p => $$$"""{"content":{{{Quote(p)}}}}""")]),
        WireFormat.Anthropic => AnthropicStream([
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            .. pieces.Select(p => $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Quote(p)}}}}}"""),
            """{"type":"content_block_stop","index":0}""",
        ]),
        _ => GeminiStream([.. pieces.Select(p => $$$"""{"text":{{{Quote(p)}}}}""")]),
    };

    /// <summary>A <c>chat.completion</c> with one choice holding <paramref name="message"/>.</summary>
    public static string OpenAi(string message, string logprobs = "null", string finish = "\"stop\"", string extra = "") => $$$"""
        {"id":"chatcmpl-w1","object":"chat.completion","created":1764500000,"model":"m-1","system_fingerprint":"fp_1",
         "choices":[{"index":0,"message":{{{message}}},"logprobs":{{{logprobs}}},"finish_reason":{{{finish}}}}],
         "usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}{{{extra}}}}
        """;

    /// <summary>Chunks with these deltas (each may carry its own <c>logprobs</c> after a <c>|</c>), a finishing chunk, and <c>[DONE]</c>.</summary>
    public static string[] OpenAiStream(string[] deltas, string finish = "stop", string chunkExtra = "")
    {
        var events = new List<string> { Event($$$"""{"id":"chatcmpl-w1","object":"chat.completion.chunk","created":1764500000,"model":"m-1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""") };
        foreach (var delta in deltas)
        {
            var parts = delta.Split('|');
            var logprobs = parts.Length > 1 ? parts[1] : "null";
            events.Add(Event($$$"""{"id":"chatcmpl-w1","object":"chat.completion.chunk","created":1764500000,"model":"m-1","choices":[{"index":0,"delta":{{{parts[0]}}},"logprobs":{{{logprobs}}},"finish_reason":null}]{{{chunkExtra}}}}"""));
        }

        events.Add(Event($$$"""{"id":"chatcmpl-w1","object":"chat.completion.chunk","created":1764500000,"model":"m-1","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"{{{finish}}}"}]}"""));
        events.Add(Event("""{"id":"chatcmpl-w1","object":"chat.completion.chunk","created":1764500000,"model":"m-1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}}"""));
        events.Add("data: [DONE]\n\n");
        return [.. events];
    }

    /// <summary>A Messages answer with these content blocks.</summary>
    public static string Anthropic(params string[] blocks) => $$$"""
        {"id":"msg_w1","type":"message","role":"assistant","model":"claude-model","content":[{{{string.Join(",", blocks)}}}],
         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":5}}
        """;

    /// <summary>A Messages stream: <c>message_start</c>, these events, <c>message_delta</c>, <c>message_stop</c>.</summary>
    public static string[] AnthropicStream(params string[] events) =>
    [
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_w1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-model\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
        .. events.Select(e => $"event: {JsonDocument.Parse(e).RootElement.GetProperty("type").GetString()}\ndata: {e}\n\n"),
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ];

    /// <summary>A GenerateContentResponse with one candidate holding these parts.</summary>
    public static string Gemini(params string[] parts) => $$$"""
        {"candidates":[{"content":{"parts":[{{{string.Join(",", parts)}}}],"role":"model"},"finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":5,"totalTokenCount":14},"modelVersion":"gemini-model","responseId":"resp-w1"}
        """;

    /// <summary>One event per part, the last with <c>finishReason</c>.</summary>
    public static string[] GeminiStream(params string[] parts) =>
    [
        .. parts.Select((p, i) => "data: " + $$$"""{"candidates":[{"content":{"parts":[{{{p}}}],"role":"model"},{{{(i == parts.Length - 1 ? "\"finishReason\":\"STOP\"," : string.Empty)}}}"index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":{{{i + 1}}},"totalTokenCount":{{{10 + i}}}},"modelVersion":"gemini-model","responseId":"resp-w1"}""".ReplaceLineEndings(string.Empty) + "\r\n\r\n"),
    ];

    private static string Event(string json) => "data: " + json.ReplaceLineEndings(string.Empty) + "\n\n";
}
