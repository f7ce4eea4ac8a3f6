using static Synapse.Tests.Fields.WireAnswers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Every place in a provider's answer where a model's text can reach the client, in each wire
/// format, whole and streamed (issue 9 §2). Streamed text is split mid-value across events.
/// <see cref="Scanned"/> is false for places the gateway drops (the value must simply be absent).
/// </summary>
public sealed record AnswerFieldCase(string Name, WireFormat Format, bool Scanned, Func<string, string> Whole, Func<string, string[]> Stream)
{
    public override string ToString() => $"{Format}: {Name}";

    public static readonly AnswerFieldCase[] All =
    [
        new("content", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":{{{Quote("Write to " + v)}}}}"""),
            v => OpenAiStream([$$$"""{"content":{{{Quote("Write to " + v[..6])}}}}""", $$$"""{"content":{{{Quote(v[6..] + " now")}}}}"""])),
        new("content parts", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":[{"type":"text","text":"Write to "},{"type":"text","text":{{{Quote(v)}}}}]}"""),
            v => OpenAiStream([$$$"""{"content":{{{Quote(v)}}}}"""])),
        new("reasoning_content", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":"Done.","reasoning_content":{{{Quote("The user is " + v)}}}}"""),
            v => OpenAiStream([$$$"""{"reasoning_content":{{{Quote("The user is " + v[..5])}}}}""", $$$"""{"reasoning_content":{{{Quote(v[5..])}}}}""", """{"content":"Done."}"""])),
        new("reasoning", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":"Done.","reasoning":{{{Quote("The user is " + v)}}}}"""),
            v => OpenAiStream([$$$"""{"reasoning":{{{Quote("The user is " + v[..5])}}}}""", $$$"""{"reasoning":{{{Quote(v[5..])}}}}""", """{"content":"Done."}"""])),
        new("refusal", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":null,"refusal":{{{Quote("I cannot email " + v)}}}}"""),
            v => OpenAiStream([$$$"""{"refusal":{{{Quote("I cannot email " + v[..7])}}}}""", $$$"""{"refusal":{{{Quote(v[7..])}}}}"""])),
        new("tool name", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":{{{Quote(v)}}},"arguments":"{}"}}]}""", finish: "\"tool_calls\""),
            v => OpenAiStream([$$$"""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":{{{Quote(v)}}},"arguments":""}}]}""", """{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}"""], "tool_calls")),
        new("tool arguments", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"send","arguments":{{{Quote("{\"to\":\"" + v + "\"}")}}}}}]}""", finish: "\"tool_calls\""),
            v => OpenAiStream([$$$"""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"send","arguments":{{{Quote("{\"to\":\"" + v[..6])}}}}}]}""", $$$"""{"tool_calls":[{"index":0,"function":{"arguments":{{{Quote(v[6..] + "\"}")}}}}}]}"""], "tool_calls")),
        new("tool call id", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":null,"tool_calls":[{"id":{{{Quote("call " + v)}}},"type":"function","function":{"name":"send","arguments":"{}"}}]}""", finish: "\"tool_calls\""),
            v => OpenAiStream([$$$"""{"tool_calls":[{"index":0,"id":{{{Quote("call " + v)}}},"type":"function","function":{"name":"send","arguments":"{}"}}]}"""], "tool_calls")),
        new("function_call arguments", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":null,"function_call":{"name":"send","arguments":{{{Quote("{\"to\":\"" + v + "\"}")}}}}}""", finish: "\"function_call\""),
            v => OpenAiStream([$$$"""{"function_call":{"name":"send","arguments":{{{Quote("{\"to\":\"" + v[..6])}}}}}""", $$$"""{"function_call":{"arguments":{{{Quote(v[6..] + "\"}")}}}}}"""], "function_call")),
        new("annotation title", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":"See the source.","annotations":[{"type":"url_citation","url_citation":{"start_index":0,"end_index":3,"url":"https://example.com/","title":{{{Quote("Profile of " + v)}}}}}]}"""),
            v => OpenAiStream(["""{"content":"See the source."}""", $$$"""{"annotations":[{"type":"url_citation","url_citation":{"start_index":0,"end_index":3,"url":"https://example.com/","title":{{{Quote("Profile of " + v)}}}}}]}"""])),
        new("value split from reasoning into content", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","reasoning_content":{{{Quote("The user is " + v[..6])}}},"content":{{{Quote(v[6..] + " indeed.")}}}}"""),
            v => OpenAiStream([$$$"""{"reasoning_content":{{{Quote("The user is " + v[..6])}}}}""", $$$"""{"content":{{{Quote(v[6..] + " indeed.")}}}}"""])),
        new("value split from content into tool arguments", WireFormat.OpenAi, true,
            v => OpenAi($$$"""{"role":"assistant","content":{{{Quote("Write to " + v[..6])}}},"tool_calls":[{"id":"call_1","type":"function","function":{"name":"send","arguments":{{{Quote(v[6..] + "\"}")}}}}}]}""", finish: "\"tool_calls\""),
            v => OpenAiStream([$$$"""{"content":{{{Quote("Write to " + v[..6])}}}}""", $$$"""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"send","arguments":{{{Quote(v[6..] + "\"}")}}}}}]}"""], "tool_calls")),
        new("audio transcript", WireFormat.OpenAi, false,
            v => OpenAi($$$"""{"role":"assistant","content":"Listen.","audio":{"id":"audio_1","data":"UklGRg==","expires_at":1,"transcript":{{{Quote("Write to " + v)}}}}}"""),
            v => OpenAiStream(["""{"content":"Listen."}""", $$$"""{"audio":{"id":"audio_1","transcript":{{{Quote("Write to " + v)}}}}}"""])),
        new("unknown message field", WireFormat.OpenAi, false,
            v => OpenAi($$$"""{"role":"assistant","content":"Done.","x_debug":{{{Quote(v)}}}}"""),
            v => OpenAiStream([$$$"""{"content":"Done.","x_debug":{{{Quote(v)}}}}"""])),
        new("unknown top-level field", WireFormat.OpenAi, false,
            v => OpenAi("""{"role":"assistant","content":"Done."}""", extra: $$$""","citations":[{{{Quote(v)}}}]"""),
            v => OpenAiStream(["""{"content":"Done."}"""], chunkExtra: $$$""","citations":[{{{Quote(v)}}}]""")),
        new("vLLM stop_reason", WireFormat.OpenAi, false,
            v => OpenAi("""{"role":"assistant","content":"Done."}""", finish: "\"stop\",\"stop_reason\":" + Quote(v)),
            v => OpenAiStream(["""{"content":"Done."}"""])),

        new("text", WireFormat.Anthropic, true,
            v => Anthropic($$$"""{"type":"text","text":{{{Quote("Write to " + v)}}}}"""),
            v => AnthropicStream(
                """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
                $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Quote("Write to " + v[..6])}}}}}""",
                $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{Quote(v[6..])}}}}}""",
                """{"type":"content_block_stop","index":0}""")),
        new("tool_use name", WireFormat.Anthropic, true,
            v => Anthropic($$$"""{"type":"tool_use","id":"toolu_1","name":{{{Quote(v)}}},"input":{}}"""),
            v => AnthropicStream(
                $$$"""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":{{{Quote(v)}}},"input":{} } }""",
                """{"type":"content_block_stop","index":0}""")),
        new("tool_use input", WireFormat.Anthropic, true,
            v => Anthropic($$$"""{"type":"tool_use","id":"toolu_1","name":"send","input":{"to":{{{Quote(v)}}}}}"""),
            v => AnthropicStream(
                """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"send","input":{}}}""",
                $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":{{{Quote("{\"to\":\"" + v[..6])}}}}}""",
                $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":{{{Quote(v[6..] + "\"}")}}}}}""",
                """{"type":"content_block_stop","index":0}""")),
        new("thinking", WireFormat.Anthropic, false,
            v => Anthropic($$$"""{"type":"thinking","thinking":{{{Quote("The user is " + v)}}},"signature":"sig"}""", """{"type":"text","text":"Done."}"""),
            v => AnthropicStream(
                """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}""",
                $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":{{{Quote("The user is " + v)}}}}}""",
                """{"type":"content_block_stop","index":0}""",
                """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
                """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}}""",
                """{"type":"content_block_stop","index":1}""")),

        new("text", WireFormat.Gemini, true,
            v => Gemini($$$"""{"text":{{{Quote("Write to " + v)}}}}"""),
            v => GeminiStream($$$"""{"text":{{{Quote("Write to " + v[..6])}}}}""", $$$"""{"text":{{{Quote(v[6..])}}}}""")),
        new("functionCall name", WireFormat.Gemini, true,
            v => Gemini($$$"""{"functionCall":{"name":{{{Quote(v)}}},"args":{} } }"""),
            v => GeminiStream($$$"""{"functionCall":{"name":{{{Quote(v)}}},"args":{} } }""")),
        new("functionCall args", WireFormat.Gemini, true,
            v => Gemini($$$"""{"functionCall":{"name":"send","args":{"to":{{{Quote(v)}}}} } }"""),
            v => GeminiStream($$$"""{"functionCall":{"name":"send","args":{"to":{{{Quote(v)}}}} } }""")),
        new("thought", WireFormat.Gemini, false,
            v => Gemini($$$"""{"text":{{{Quote("The user is " + v)}}},"thought":true}""", """{"text":"Done."}"""),
            v => GeminiStream($$$"""{"text":{{{Quote("The user is " + v)}}},"thought":true}""", """{"text":"Done."}""")),
    ];
}
