using System.Text;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Tests.Fields;

/// <summary>
/// Every place in a chat request where a client can put a string that a provider receives, each as
/// a request that carries a given sensitive value there (issue 9 §3). <see cref="Dropped"/> cases
/// are places the gateway does not forward at all, so the value never leaves it.
/// </summary>
public static class PromptFieldCases
{
    public const string Card = "4111 1111 1111 1111";
    public const string Email = "jane.doe@example.com";

    /// <summary>Cases whose value is left out rather than scanned.</summary>
    public static readonly string[] Dropped = ["unknown key in a message", "unknown key in a part"];

    public static readonly Dictionary<string, Func<string, JsonObject>> All = new()
    {
        ["tool description"] = v => With(Tools(description: "Ask " + v)),
        ["tool parameter description"] = v => With(Tools(parameterDescription: v)),
        ["tool parameter name"] = v => With(Tools(parameterName: v)),
        ["stop"] = v => With(new JsonObject { ["stop"] = new JsonArray(v) }),
        ["user"] = v => With(new JsonObject { ["user"] = v }),
        ["safety_identifier"] = v => With(new JsonObject { ["safety_identifier"] = v }),
        ["prompt_cache_key"] = v => With(new JsonObject { ["prompt_cache_key"] = v }),
        ["response_format schema"] = v => With(new JsonObject
        {
            ["response_format"] = JsonNode.Parse($$$"""{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"to":{"type":"string","description":{{{WireAnswers.Quote(v)}}}} } } } }"""),
        }),
        ["tool_choice name"] = v => With(Tools(toolChoice: v)),
        ["prediction"] = v => With(new JsonObject { ["prediction"] = new JsonObject { ["type"] = "content", ["content"] = v } }),
        ["tool call id"] = v => With(null, ToolHistory(id: "call " + v)),
        ["tool call name"] = v => With(null, ToolHistory(name: v)),
        ["tool call arguments"] = v => With(null, ToolHistory(arguments: $$$"""{"to":{{{WireAnswers.Quote(v)}}}}""")),
        ["tool result"] = v => With(null, ToolHistory(result: "Sent to " + v)),
        ["assistant refusal field"] = v => With(null, new JsonObject { ["role"] = "assistant", ["content"] = "No.", ["refusal"] = v }, User("and now?")),
        ["assistant refusal part"] = v => With(null, new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "refusal", ["refusal"] = v }) }, User("and now?")),
        ["message name"] = v => With(null, new JsonObject { ["role"] = "user", ["content"] = "hello", ["name"] = v }),
        ["demoted system message"] = v => With(null, new JsonObject { ["role"] = "system", ["content"] = "Reply to " + v }, User("hello")),
        ["text part"] = v => With(null, Parts(new JsonObject { ["type"] = "text", ["text"] = "Write to " + v })),
        ["image URL"] = v => With(null, Parts(Image("https://example.com/a.png?to=" + v))),
        ["text file as data URL"] = v => With(null, Parts(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "notes.txt", ["file_data"] = "data:text/plain;base64," + Base64("Contact: " + v) } })),
        ["file name"] = v => With(null, Parts(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = v + " notes.pdf", ["file_data"] = "data:application/pdf;base64," + Convert.ToBase64String([0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x25, 0xE2, 0xE3]) } })),
        ["image data that is text"] = v => With(null, Parts(Image("data:image/png;base64," + Base64("Contact: " + v)))),
        ["percent-encoded data URL"] = v => With(null, Parts(Image("data:text/plain," + Uri.EscapeDataString("Contact: " + v)))),
        ["text file in UTF-16 by its charset"] = v => With(null, Parts(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "notes.txt", ["file_data"] = "data:text/plain;charset=utf-16le;base64," + Utf16Base64("Contact: " + v) } })),
        ["UTF-16 text with a byte-order mark, typed as binary"] = v => With(null, Parts(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "notes.txt", ["file_data"] = "data:application/octet-stream;base64," + Utf16Base64("\uFEFFContact: " + v) } })),
        ["percent-encoded UTF-16 data URL"] = v => With(null, Parts(Image("data:text/plain;charset=utf-16le," + Utf16Percent("Contact: " + v)))),
        ["audio data that is text"] = v => With(null, Parts(new JsonObject { ["type"] = "input_audio", ["input_audio"] = new JsonObject { ["data"] = Base64("Contact: " + v), ["format"] = "wav" } })),
        ["value split across two messages"] = v => With(null, User("Write to " + v[..(v.Length / 2)]), User(v[(v.Length / 2)..] + " today")),
        ["value split across two parts"] = v => With(null, Parts(new JsonObject { ["type"] = "text", ["text"] = "Write to " + v[..(v.Length / 2)] }, new JsonObject { ["type"] = "text", ["text"] = v[(v.Length / 2)..] + " today" })),
        ["unknown key in a message"] = v => With(null, new JsonObject { ["role"] = "user", ["content"] = "hello", ["x_note"] = v }),
        ["unknown key in a part"] = v => With(null, Parts(new JsonObject { ["type"] = "text", ["text"] = "hello", ["cache_note"] = v })),
    };

    /// <summary>
    /// Every top-level field each surface's binding forwards, on every surface a prompt enters by
    /// (path, field, the value's JSON with <c>CARD</c> where the card number goes). Chat Completions
    /// and embeddings take their lists from the enforcers themselves, so a field added there is
    /// tried here from its first day; Messages and Responses list what their translators carry
    /// over. <c>seed</c> is left out on purpose: the sampler reads it, never the model, and a
    /// random 19-digit seed can pass a card check (PromptDlpTests pins that decision).
    /// </summary>
    public static IEnumerable<(string Path, string Field, string Value)> Forwarded()
    {
        var chat = ChatRequestFields.Rules.Where(r => r.Value is ChatFieldRule.Forward or ChatFieldRule.Vendor).Select(r => r.Key).Where(f => f != "seed");
        foreach (var field in chat)
        {
            yield return ("/v1/chat/completions", field, "CARD");
        }

        foreach (var field in EmbeddingsBindingEnforcer.ForwardedFields)
        {
            yield return ("/v1/embeddings", field, "CARD");
        }

        string[] messages = ["system", "stop_sequences", "temperature", "top_p", "top_k", "max_tokens", "tool_choice", "tools", "output_config", "output_format", "metadata"];
        foreach (var path in new[] { "/v1/messages", "/v1/messages/count_tokens" })
        {
            foreach (var field in messages)
            {
                yield return (path, field, "CARD");
            }

            yield return (path, "metadata.user_id", """{"user_id":CARD}""");
            yield return (path, "system[0].text", """[{"type":"text","text":CARD}]""");
            yield return (path, "stop_sequences[0]", "[CARD]");
            yield return (path, "tools[0].input_schema", """[{"name":"f","description":CARD,"input_schema":{"type":"object","properties":{"a":{"enum":[CARD]}}}}]""");
            yield return (path, "output_config.format", """{"format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"enum":[CARD]}}}}}""");
        }

        string[] responses = ["instructions", "user", "safety_identifier", "prompt_cache_key", "service_tier", "prompt_cache_retention", "max_output_tokens", "temperature", "top_p", "tool_choice", "tools", "text", "reasoning", "parallel_tool_calls"];
        foreach (var field in responses)
        {
            yield return ("/v1/responses", field, "CARD");
        }

        yield return ("/v1/responses", "text.format", """{"format":{"type":"json_schema","name":"a","schema":{"type":"object","properties":{"a":{"enum":[CARD]}}}}}""");
        yield return ("/v1/responses", "tools[0]", """[{"type":"function","name":"f","description":CARD,"parameters":{"type":"object","properties":{"a":{"enum":[CARD]}}}}]""");
    }

    /// <summary>A request on <paramref name="path"/> with <paramref name="marker"/> in its prompt and <paramref name="field"/> set to <paramref name="value"/>.</summary>
    public static JsonObject ForSurface(string path, string model, string marker, string field, JsonNode? value)
    {
        var body = path switch
        {
            "/v1/embeddings" => new JsonObject { ["model"] = model, ["input"] = "hello " + marker },
            "/v1/responses" => new JsonObject { ["model"] = model, ["input"] = "hello " + marker },
            "/v1/chat/completions" => new JsonObject { ["model"] = model, ["messages"] = new JsonArray(User("hello " + marker)) },
            _ => new JsonObject { ["model"] = model, ["max_tokens"] = 16, ["messages"] = new JsonArray(User("hello " + marker)) },
        };
        if (value is not null)
        {
            body[field.Split('.', '[')[0]] = value;
        }

        return body;
    }

    /// <summary>The encodings in which a value could travel unnoticed (so a test can look for each).</summary>
    public static IEnumerable<string> Forms(string value) =>
    [
        value,
        Base64("Contact: " + value),
        Uri.EscapeDataString("Contact: " + value),
        Uri.EscapeDataString(value),
        Utf16Base64("Contact: " + value),
        Utf16Base64("\uFEFFContact: " + value),
        Utf16Percent("Contact: " + value),
        Utf16Percent(value),
    ];

    /// <summary>The text in UTF-16 (little-endian, as <see cref="Encoding.Unicode"/> writes it), base64-encoded.</summary>
    public static string Utf16Base64(string text) => Convert.ToBase64String(Encoding.Unicode.GetBytes(text));

    /// <summary>The text in UTF-16, every byte percent-encoded.</summary>
    public static string Utf16Percent(string text) => string.Concat(Encoding.Unicode.GetBytes(text).Select(b => $"%{b:X2}"));

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static JsonObject User(string text) => new() { ["role"] = "user", ["content"] = text };

    private static JsonObject Image(string url) => new() { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } };

    private static JsonObject Parts(params JsonObject[] parts) => new() { ["role"] = "user", ["content"] = new JsonArray([.. parts]) };

    private static JsonObject Tools(string description = "Send a message", string parameterName = "to", string parameterDescription = "Recipient", string? toolChoice = null)
    {
        var properties = new JsonObject { [parameterName] = new JsonObject { ["type"] = "string", ["description"] = parameterDescription } };
        var tools = new JsonObject
        {
            ["tools"] = new JsonArray(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "send", ["description"] = description, ["parameters"] = new JsonObject { ["type"] = "object", ["properties"] = properties } },
            }),
        };
        if (toolChoice is not null)
        {
            tools["tool_choice"] = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = toolChoice } };
        }

        return tools;
    }

    private static JsonObject[] ToolHistory(string id = "call_1", string name = "send", string arguments = "{}", string result = "done") =>
    [
        User("send it"),
        new() { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments } }) },
        new() { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = result },
    ];

    private static JsonObject With(JsonObject? fields, params JsonObject[] messages) => With(fields, (IEnumerable<JsonObject>)messages);

    private static JsonObject With(JsonObject? fields, IEnumerable<JsonObject> messages)
    {
        var list = messages.ToList();
        if (list.Count == 0)
        {
            list.Add(User("hello"));
        }

        var body = new JsonObject { ["messages"] = new JsonArray([.. list]) };
        foreach (var (name, value) in fields ?? [])
        {
            body[name] = value?.DeepClone();
        }

        return body;
    }

    private static JsonObject With(JsonObject fields) => With(fields, []);
}
