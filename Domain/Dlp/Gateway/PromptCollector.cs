using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Collects the strings of a bound request for <see cref="PromptDlp"/>. Messages have the shape
/// the binding rebuilt (known keys only), so their roles and part types — validated words — are
/// skipped and media are read by <see cref="EmbeddedText"/>; every other field is walked whole,
/// property names included (a JSON schema's property names reach the provider too).
/// </summary>
internal static class PromptCollector
{
    public static void Message(JsonObject message, string path, List<PromptSlot> slots)
    {
        foreach (var (name, value) in message)
        {
            switch (name)
            {
                case "role":
                    continue;
                case "content" when value is JsonArray parts:
                    for (var j = 0; j < parts.Count; j++)
                    {
                        if (parts[j] is JsonObject part)
                        {
                            Part(part, $"{path}.content[{j}]", slots);
                        }
                    }

                    continue;
                case "content" or "refusal":
                    Value(message, name, value, slots, joinable: true);
                    continue;
                case "tool_calls" when value is JsonArray calls:
                    foreach (var call in calls.OfType<JsonObject>())
                    {
                        ToolCall(call, slots);
                    }

                    continue;
                case "function_call" when value is JsonObject function:
                    Value(function, "name", function["name"], slots, joinable: false);
                    Arguments(function, slots);
                    continue;
                default:
                    Any(message, name, value, slots, joinable: false);
                    continue;
            }
        }
    }

    /// <summary>Every string in <paramref name="value"/> (the value of <paramref name="name"/> in <paramref name="owner"/>), property names too.</summary>
    /// <param name="readNumbers">Read the numbers inside too (a tool's schema, not an embeddings input's token ids).</param>
    public static void Any(JsonObject owner, string name, JsonNode? value, List<PromptSlot> slots, bool joinable = true, bool readNumbers = false)
    {
        switch (value)
        {
            case JsonObject obj:
                Properties(obj, slots, joinable, readNumbers);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Item(array, i, slots, joinable, readNumbers);
                }

                break;
            default:
                Value(owner, name, value, slots, joinable);
                break;
        }
    }

    /// <summary>Each property's name (a JSON schema's property names reach the provider too) and value.</summary>
    private static void Properties(JsonObject obj, List<PromptSlot> slots, bool joinable, bool readNumbers)
    {
        foreach (var (key, child) in obj.ToList())
        {
            var property = key;
            slots.Add(new PromptSlot(property, renamed => Rename(obj, property, renamed), joinable, IsPropertyName: true));
            if (readNumbers && Number(child) is { } number)
            {
                AddNumber(number, text => obj[property] = text, slots);
            }
            else
            {
                Any(obj, property, child, slots, joinable, readNumbers);
            }
        }
    }

    /// <summary>
    /// A number inside a structure as the model reads it (a schema's <c>enum</c>, <c>const</c>,
    /// <c>default</c> or <c>examples</c>: <c>4111111111111111</c> is a card number there too). Not
    /// joined with its neighbours: a list of years would run together into card-like digits.
    /// Top-level numbers are sampling settings (<c>seed</c>, <c>temperature</c>), which the model
    /// never reads, and a random 19-digit seed can pass a card check; an embeddings input's numbers
    /// are token ids.
    /// </summary>
    private static string? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : null;

    /// <summary>
    /// A top-level number of the request (<c>top_p</c>, <c>max_tokens</c>, an embeddings
    /// <c>dimensions</c>): read like any forwarded value, except <c>seed</c> — the sampler's, never
    /// the model's, and a random 19-digit seed can pass a card check.
    /// </summary>
    public static void TopLevelNumber(JsonObject owner, string name, JsonNode? value, List<PromptSlot> slots)
    {
        if (name != "seed" && Number(value) is { } number)
        {
            AddNumber(number, text => owner[name] = text, slots);
        }
    }

    /// <summary>A number as written and, when it differs, as the value it is (<see cref="NumberText"/>): <c>4.111111111111111e15</c> is a card number.</summary>
    private static void AddNumber(string literal, Action<string> write, List<PromptSlot> slots)
    {
        slots.Add(new PromptSlot(literal, write, Joinable: false));
        if (NumberText.Plain(literal) is { } plain)
        {
            slots.Add(new PromptSlot(plain, write, Joinable: false));
        }
    }

    /// <summary>
    /// A tool call's JSON arguments, read with their numbers in plain form (the same values, so the
    /// plain text is what is written back when a redaction is needed).
    /// </summary>
    private static void Arguments(JsonObject owner, List<PromptSlot> slots)
    {
        if (owner["arguments"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            slots.Add(new PromptSlot(NumberText.PlainNumbers(value.GetValue<string>()), text => owner["arguments"] = text, Joinable: true));
            return;
        }

        Value(owner, "arguments", owner["arguments"], slots, joinable: true);
    }

    private static void Item(JsonArray array, int index, List<PromptSlot> slots, bool joinable, bool readNumbers)
    {
        switch (array[index])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                slots.Add(new PromptSlot(value.GetValue<string>(), text => array[index] = text, joinable));
                break;
            case JsonValue value when readNumbers && Number(value) is { } number:
                AddNumber(number, text => array[index] = text, slots);
                break;
            case JsonObject obj:
                Properties(obj, slots, joinable, readNumbers);
                break;
            case JsonArray nested:
                for (var i = 0; i < nested.Count; i++)
                {
                    Item(nested, i, slots, joinable, readNumbers);
                }

                break;
        }
    }

    private static void Part(JsonObject part, string path, List<PromptSlot> slots)
    {
        switch (part["type"]?.GetValue<string>())
        {
            case "text":
                Value(part, "text", part["text"], slots, joinable: true);
                break;
            case "refusal":
                Value(part, "refusal", part["refusal"], slots, joinable: true);
                break;
            case "image_url" when part["image_url"] is JsonObject image:
                Media(image, "url", path + ".image_url.url", slots, isUrl: true);
                Value(image, "detail", image["detail"], slots, joinable: false);
                break;
            case "input_audio" when part["input_audio"] is JsonObject audio:
                Media(audio, "data", path + ".input_audio.data", slots, isUrl: false);
                Value(audio, "format", audio["format"], slots, joinable: false);
                break;
            case "file" when part["file"] is JsonObject file:
                Media(file, "file_data", path + ".file.file_data", slots, isUrl: file["file_data"]?.GetValue<string>().StartsWith("data:", StringComparison.OrdinalIgnoreCase) == true);
                Value(file, "filename", file["filename"], slots, joinable: false);
                break;
            default:
                // The binding admits no other part; anything here is still read rather than trusted.
                foreach (var (key, child) in part.ToList())
                {
                    Any(part, key, child, slots, joinable: false);
                }

                break;
        }
    }

    private static void ToolCall(JsonObject call, List<PromptSlot> slots)
    {
        Value(call, "id", call["id"], slots, joinable: false);
        if (call["function"] is JsonObject function)
        {
            Value(function, "name", function["name"], slots, joinable: false);
            Arguments(function, slots);
        }

        if (call["custom"] is JsonObject custom)
        {
            Value(custom, "name", custom["name"], slots, joinable: false);
            Value(custom, "input", custom["input"], slots, joinable: true);
        }
    }

    /// <summary>
    /// A media payload: the text inside it is read (and written back re-encoded); binary media are
    /// not. An http(s) URL is read as text, since a URL can carry data in its path and query.
    /// </summary>
    private static void Media(JsonObject owner, string property, string param, List<PromptSlot> slots, bool isUrl)
    {
        if (owner[property] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return;
        }

        var payload = value.GetValue<string>();
        if (isUrl && !payload.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            // Read as the server will: %34%31%31%31 is 4111.
            slots.Add(new PromptSlot(Uri.UnescapeDataString(payload), text => owner[property] = text, Joinable: false));
            return;
        }

        // Base64 may contain whitespace, which media encoders never write: such a payload is read
        // as the text it is ("card 4111 1111 …" is valid base64).
        var readWhole = payload.AsSpan().ContainsAny(" \t\r\n");
        if (readWhole)
        {
            slots.Add(new PromptSlot(payload, text => owner[property] = text, Joinable: false));
        }

        if (!isUrl)
        {
            var (text, encode) = EmbeddedText.FromBase64(payload, param);
            if (text is not null)
            {
                slots.Add(new PromptSlot(text, redacted => owner[property] = encode!(redacted), Joinable: true));
            }

            return;
        }

        // The header is sent as written ("image/png;name=…" reaches the provider, Anthropic's
        // media_type too): it is read like any text, and either part's redaction keeps the other's.
        var (header, decoded, encodeBody) = EmbeddedText.FromDataUrl(payload, param);
        var url = new DataUrlParts(owner, property, header, payload[(payload.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        if (!readWhole)
        {
            slots.Add(new PromptSlot(header, url.WriteHeader, Joinable: false));
        }

        if (decoded is not null)
        {
            slots.Add(new PromptSlot(decoded, redacted => url.WriteBody(encodeBody!(redacted)), Joinable: true));
        }
    }

    /// <summary>A data URL written back from its two parts, each of which a redaction may replace.</summary>
    private sealed class DataUrlParts(JsonObject owner, string property, string header, string body)
    {
        public void WriteHeader(string redacted)
        {
            header = MediaTypeSyntax.QuoteParameterValues(redacted);
            owner[property] = $"data:{header},{body}";
        }

        public void WriteBody(string encoded)
        {
            body = encoded;
            owner[property] = $"data:{header},{body}";
        }
    }

    private static void Value(JsonObject owner, string property, JsonNode? node, List<PromptSlot> slots, bool joinable)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            slots.Add(new PromptSlot(value.GetValue<string>(), text => owner[property] = text, joinable));
        }
        else if (node is JsonObject or JsonArray)
        {
            Any(owner, property, node, slots, joinable);
        }
    }

    /// <summary>A property name with a redaction in it: the value moves to the redacted name, in the same place.</summary>
    private static void Rename(JsonObject obj, string from, string to)
    {
        var index = obj.IndexOf(from);
        if (index < 0)
        {
            return;
        }

        var value = obj.GetAt(index).Value;
        obj.RemoveAt(index);
        var name = to;
        for (var n = 2; obj.ContainsKey(name); n++)
        {
            name = $"{to}#{n}";
        }

        obj.Insert(index, name, value);
    }
}
