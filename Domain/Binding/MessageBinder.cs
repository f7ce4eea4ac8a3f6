using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Binding;

/// <summary>
/// Rebuilds a client's <c>messages</c> from the keys the gateway knows, so that nothing reaches a
/// provider that prompt DLP does not read: the key's system prompt first and alone in the system
/// role, the client's system and developer messages handled as the key says, every other message
/// and content part copied key by key. Unknown keys inside messages and parts are dropped and
/// reported (their values never leave the gateway); a part type or role the gateway does not know
/// is refused, because leaving it out would change what the model is asked.
/// </summary>
internal sealed class MessageBinder(KeyBinding binding, DroppedFields dropped)
{
    /// <summary>
    /// What a demoted message says it is: the application's instructions, under the key's system
    /// prompt when the key has one (without one there is nothing above to take precedence).
    /// </summary>
    public static string DemotedLabel(string role, bool underSystemPrompt = true) => underSystemPrompt
        ? $"Instructions from the application, sent as a {role} message (the system prompt above takes precedence):"
        : $"Instructions from the application, sent as a {role} message:";

    public bool SawClientSystemMessages { get; private set; }

    public JsonArray Bind(JsonNode? messagesNode)
    {
        if (messagesNode is not JsonArray messages)
        {
            throw new InvalidRequestException("'messages' is required and must be an array of messages.", "messages");
        }

        var bound = new JsonArray();
        if (!string.IsNullOrEmpty(binding.SystemPrompt))
        {
            bound.Add(new JsonObject { ["role"] = "system", ["content"] = binding.SystemPrompt });
        }

        var kept = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var path = $"messages[{i}]";
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue roleValue
                || roleValue.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidRequestException($"{path} must be an object with a string 'role'.", path);
            }

            var role = roleValue.GetValue<string>();
            switch (role)
            {
                case "system" or "developer":
                    SawClientSystemMessages = true;
                    if (ClientSystem(message, role, path) is { } demoted)
                    {
                        bound.Add(demoted);
                    }

                    continue;
                case "user":
                    bound.Add(User(message, path));
                    break;
                case "assistant":
                    bound.Add(Assistant(message, path));
                    break;
                case "tool":
                    bound.Add(Tool(message, path));
                    break;
                case "function":
                    bound.Add(Function(message, path));
                    break;
                default:
                    throw new InvalidRequestException($"{path}.role must be one of user, assistant, tool, function, system or developer.", path + ".role");
            }

            kept++;
        }

        if (kept == 0)
        {
            throw new InvalidRequestException("'messages' must contain at least one user, assistant or tool message.", "messages");
        }

        return bound;
    }

    private JsonObject? ClientSystem(JsonObject message, string role, string path)
    {
        switch (binding.ClientSystemMessages)
        {
            case ClientSystemMessages.Refuse:
                throw new InvalidRequestException(
                    $"This key does not accept {role} messages from the client (clientSystemMessages: refuse){(string.IsNullOrEmpty(binding.SystemPrompt) ? "" : ": its instructions are the key's system prompt")}. Send the text as a user message, or remove it.",
                    path)
                {
                    AuditDetail = BoundChat.AuditDetail(ClientSystemHandling.Refused, []),
                };
            case ClientSystemMessages.Drop:
                dropped.Add(path);
                return null;
        }

        // Demoted: the application's instructions stay where they were, in the user role, and say
        // so; the key's system prompt remains the only system message.
        Known(message, path, "role", "content", "name");
        var label = DemotedLabel(role, !string.IsNullOrEmpty(binding.SystemPrompt));
        var demoted = new JsonObject { ["role"] = "user" };
        switch (message["content"])
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                demoted["content"] = label + "\n\n" + text.GetValue<string>();
                break;
            case JsonArray parts:
                var labelled = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = label });
                foreach (var part in Parts(parts, path, TextOnly))
                {
                    labelled.Add(part);
                }

                demoted["content"] = labelled;
                break;
            default:
                throw new InvalidRequestException($"{path}.content must be a string or an array of text parts.", path + ".content");
        }

        CopyString(message, demoted, "name", path);
        return demoted;
    }

    private JsonObject User(JsonObject message, string path)
    {
        Known(message, path, "role", "content", "name");
        var bound = new JsonObject { ["role"] = "user" };
        bound["content"] = message["content"] switch
        {
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            JsonArray parts => new JsonArray([.. Parts(parts, path, UserParts)]),
            _ => throw new InvalidRequestException($"{path}.content must be a string or an array of content parts.", path + ".content"),
        };
        CopyString(message, bound, "name", path);
        return bound;
    }

    private JsonObject Assistant(JsonObject message, string path)
    {
        Known(message, path, "role", "content", "name", "refusal", "tool_calls", "function_call", "audio");
        if (message.ContainsKey("audio"))
        {
            // A reference to an earlier audio answer: audio answers are refused, so it refers to nothing.
            dropped.Add(path + ".audio");
        }

        var bound = new JsonObject { ["role"] = "assistant" };
        switch (message["content"])
        {
            case null:
                bound["content"] = null;
                break;
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                bound["content"] = text.GetValue<string>();
                break;
            case JsonArray parts:
                bound["content"] = new JsonArray([.. Parts(parts, path, AssistantParts)]);
                break;
            default:
                throw new InvalidRequestException($"{path}.content must be a string, null or an array of text and refusal parts.", path + ".content");
        }

        CopyString(message, bound, "refusal", path);
        CopyString(message, bound, "name", path);
        if (message["tool_calls"] is { } toolCalls)
        {
            bound["tool_calls"] = ToolCalls(toolCalls, path + ".tool_calls");
        }

        if (message["function_call"] is { } functionCall)
        {
            bound["function_call"] = FunctionCall(functionCall, path + ".function_call");
        }

        return bound;
    }

    private JsonObject Tool(JsonObject message, string path)
    {
        Known(message, path, "role", "content", "tool_call_id");
        var bound = new JsonObject { ["role"] = "tool" };
        bound["content"] = message["content"] switch
        {
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            JsonArray parts => new JsonArray([.. Parts(parts, path, TextOnly)]),
            _ => throw new InvalidRequestException($"{path}.content must be a string or an array of text parts.", path + ".content"),
        };
        CopyString(message, bound, "tool_call_id", path);
        return bound;
    }

    private JsonObject Function(JsonObject message, string path)
    {
        Known(message, path, "role", "content", "name");
        var bound = new JsonObject { ["role"] = "function" };
        bound["content"] = message["content"] switch
        {
            null => null,
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            _ => throw new InvalidRequestException($"{path}.content must be a string.", path + ".content"),
        };
        CopyString(message, bound, "name", path);
        return bound;
    }

    private JsonArray ToolCalls(JsonNode node, string path)
    {
        if (node is not JsonArray calls)
        {
            throw new InvalidRequestException($"{path} must be an array of tool calls.", path);
        }

        var bound = new JsonArray();
        for (var i = 0; i < calls.Count; i++)
        {
            var callPath = $"{path}[{i}]";
            if (calls[i] is not JsonObject call)
            {
                throw new InvalidRequestException($"{callPath} must be an object.", callPath);
            }

            Known(call, callPath, "id", "type", "function", "custom");
            var type = call["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "function";
            var copy = new JsonObject();
            CopyString(call, copy, "id", callPath);
            copy["type"] = type;
            switch (type)
            {
                case "function":
                    copy["function"] = FunctionCall(call["function"], callPath + ".function");
                    break;
                case "custom":
                    copy["custom"] = CustomCall(call["custom"], callPath + ".custom");
                    break;
                default:
                    throw new InvalidRequestException($"{callPath}.type must be 'function' or 'custom'.", callPath + ".type");
            }

            bound.Add(copy);
        }

        return bound;
    }

    private JsonObject FunctionCall(JsonNode? node, string path)
    {
        if (node is not JsonObject function)
        {
            throw new InvalidRequestException($"{path} must be an object with 'name' and 'arguments'.", path);
        }

        Known(function, path, "name", "arguments");
        var bound = new JsonObject();
        CopyString(function, bound, "name", path);
        CopyString(function, bound, "arguments", path);
        return bound;
    }

    private JsonObject CustomCall(JsonNode? node, string path)
    {
        if (node is not JsonObject custom)
        {
            throw new InvalidRequestException($"{path} must be an object with 'name' and 'input'.", path);
        }

        Known(custom, path, "name", "input");
        var bound = new JsonObject();
        CopyString(custom, bound, "name", path);
        CopyString(custom, bound, "input", path);
        return bound;
    }

    private static IEnumerable<JsonObject> Parts(JsonArray parts, string path, Func<JsonObject, string, string, JsonObject?> bindPart)
    {
        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}.content[{j}]";
            if (parts[j] is not JsonObject part || part["type"] is not JsonValue typeValue || typeValue.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidRequestException($"{partPath} must be an object with a string 'type'.", partPath);
            }

            yield return bindPart(part, typeValue.GetValue<string>(), partPath)
                ?? throw new InvalidRequestException($"{partPath}.type '{ContentType(typeValue.GetValue<string>())}' is not accepted in this message.", partPath + ".type");
        }
    }

    private JsonObject? TextOnly(JsonObject part, string type, string path) => type == "text" ? Text(part, path) : null;

    private JsonObject? AssistantParts(JsonObject part, string type, string path) => type switch
    {
        "text" => Text(part, path),
        "refusal" => Refusal(part, path),
        _ => null,
    };

    private JsonObject? UserParts(JsonObject part, string type, string path) => type switch
    {
        "text" => Text(part, path),
        "image_url" => Image(part, path),
        "input_audio" => Audio(part, path),
        "file" => File(part, path),
        _ => null,
    };

    private JsonObject Text(JsonObject part, string path)
    {
        Known(part, path, "type", "text");
        return new JsonObject { ["type"] = "text", ["text"] = RequiredString(part, "text", path) };
    }

    private JsonObject Refusal(JsonObject part, string path)
    {
        Known(part, path, "type", "refusal");
        return new JsonObject { ["type"] = "refusal", ["refusal"] = RequiredString(part, "refusal", path) };
    }

    private JsonObject Image(JsonObject part, string path)
    {
        Known(part, path, "type", "image_url");
        var image = new JsonObject();
        switch (part["image_url"])
        {
            case JsonValue bare when bare.GetValueKind() == JsonValueKind.String:
                image["url"] = bare.GetValue<string>();
                break;
            case JsonObject given:
                Known(given, path + ".image_url", "url", "detail");
                image["url"] = RequiredString(given, "url", path + ".image_url");
                CopyString(given, image, "detail", path + ".image_url");
                break;
            default:
                throw new InvalidRequestException($"{path}.image_url must be an object with a 'url'.", path + ".image_url");
        }

        var url = image["url"]!.GetValue<string>();
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && !Providers.OpenAiWire.IsHttpUrl(url))
        {
            throw new InvalidRequestException($"{path}.image_url.url must be a data: URL or an http(s) URL.", path + ".image_url.url");
        }

        CheckDataUrl(url, path + ".image_url.url");
        return new JsonObject { ["type"] = "image_url", ["image_url"] = image };
    }

    private JsonObject Audio(JsonObject part, string path)
    {
        Known(part, path, "type", "input_audio");
        if (part["input_audio"] is not JsonObject given)
        {
            throw new InvalidRequestException($"{path}.input_audio must be an object with 'data' and 'format'.", path + ".input_audio");
        }

        Known(given, path + ".input_audio", "data", "format");
        var audio = new JsonObject
        {
            ["data"] = RequiredString(given, "data", path + ".input_audio"),
            ["format"] = RequiredString(given, "format", path + ".input_audio"),
        };
        return new JsonObject { ["type"] = "input_audio", ["input_audio"] = audio };
    }

    private JsonObject File(JsonObject part, string path)
    {
        Known(part, path, "type", "file");
        if (part["file"] is not JsonObject given)
        {
            throw new InvalidRequestException($"{path}.file must be an object with 'file_data'.", path + ".file");
        }

        Known(given, path + ".file", "file_data", "file_id", "filename");
        if (given.ContainsKey("file_id"))
        {
            throw new InvalidRequestException(
                $"{path}.file.file_id is not accepted: the gateway can only check a file it reads. Send the file inline as 'file_data'.",
                path + ".file.file_id");
        }

        var data = RequiredString(given, "file_data", path + ".file");
        CheckDataUrl(data, path + ".file.file_data");
        var file = new JsonObject { ["file_data"] = data };
        CopyString(given, file, "filename", path + ".file");
        return new JsonObject { ["type"] = "file", ["file"] = file };
    }

    /// <summary>
    /// A data URL's header reaches the provider as written (the adapters make it Anthropic's
    /// <c>media_type</c> and Gemini's <c>mimeType</c>): one that is not a well-formed media type is
    /// refused, not passed on.
    /// </summary>
    private static void CheckDataUrl(string url, string param)
    {
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new InvalidRequestException($"{param} is not a valid data: URL.", param);
        }

        if (!MediaTypeSyntax.IsWellFormedDataUrlHeader(url.AsSpan(5, comma - 5)))
        {
            throw new InvalidRequestException($"{param} is a data: URL whose media type is malformed: it must be {MediaTypeSyntax.Expected}.", param);
        }
    }

    /// <summary>Reports every key of <paramref name="obj"/> that is not in <paramref name="known"/>.</summary>
    private void Known(JsonObject obj, string path, params ReadOnlySpan<string> known)
    {
        foreach (var (name, value) in obj)
        {
            if (value is not null && !known.Contains(name))
            {
                dropped.AddClientName(path + ".", name);
            }
        }
    }

    private static void CopyString(JsonObject from, JsonObject to, string name, string path)
    {
        switch (from[name])
        {
            case null:
                return;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                to[name] = value.GetValue<string>();
                return;
            default:
                throw new InvalidRequestException($"{path}.{name} must be a string.", $"{path}.{name}");
        }
    }

    private static string RequiredString(JsonObject from, string name, string path) =>
        from[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new InvalidRequestException($"{path}.{name} is required and must be a string.", $"{path}.{name}");

    /// <summary>A part type as it may be repeated in an error: the client's own word only when it is a plain identifier.</summary>
    private static string ContentType(string type) => DroppedFields.Name(type);
}
