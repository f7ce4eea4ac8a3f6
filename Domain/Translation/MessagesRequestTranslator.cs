using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using static Synapse.Translation.TranslationJson;

namespace Synapse.Translation;

/// <summary>
/// Anthropic's Messages request (<c>POST /v1/messages</c>) as the gateway's internal Chat
/// Completions request. Every field is decided (README, "Messages fields"): carried over, dropped
/// and named, or refused naming it. <c>system</c> becomes a client system message, which the key's
/// binding then handles like any other (demoted under the key's system prompt by default).
/// </summary>
public static class MessagesRequestTranslator
{
    /// <summary>Internal parameter names as the Messages API calls them, for refusals and dropped names.</summary>
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["stop"] = "stop_sequences",
        ["user"] = "metadata.user_id",
        ["parallel_tool_calls"] = "tool_choice.disable_parallel_tool_use",
        ["stream_options"] = "stream",
    };

    /// <param name="countOnly">A <c>count_tokens</c> body: no <c>max_tokens</c>, nothing sent anywhere.</param>
    public static TranslatedRequest Translate(JsonObject body, bool countOnly = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var dropped = new DroppedFields();
        var paths = new List<string>();
        var chatMessages = new JsonArray();
        var chat = new JsonObject();
        if (body["model"] is { } model)
        {
            chat["model"] = model.DeepClone();
        }

        if (body["system"] is { } system)
        {
            chatMessages.Add(new JsonObject { ["role"] = "system", ["content"] = SystemText(system, dropped) });
            paths.Add("system");
        }

        var messages = body["messages"] as JsonArray ?? throw new InvalidRequestException("'messages' is required and must be an array of messages.", "messages");
        for (var i = 0; i < messages.Count; i++)
        {
            Message(messages[i], $"messages[{i}]", chatMessages, paths, dropped);
        }

        chat["messages"] = chatMessages;
        foreach (var (name, value) in body)
        {
            if (value is null)
            {
                continue;
            }

            switch (name)
            {
                case "model" or "messages" or "system":
                    break;
                case "max_tokens":
                    chat["max_tokens"] = Scalar(value, name, JsonValueKind.Number);
                    break;
                case "stream":
                    chat["stream"] = Scalar(value, name, JsonValueKind.True);
                    if (value.GetValueKind() == JsonValueKind.True)
                    {
                        // The translation back needs the final usage for message_delta.
                        chat["stream_options"] = new JsonObject { ["include_usage"] = true };
                    }

                    break;
                case "temperature" or "top_p" or "top_k":
                    chat[name] = Scalar(value, name, JsonValueKind.Number);
                    break;
                case "stop_sequences":
                    chat["stop"] = Array(value, name).DeepClone();
                    break;
                case "metadata":
                    Metadata(Object(value, name), chat, dropped);
                    break;
                case "tools":
                    chat["tools"] = Tools(Array(value, name));
                    break;
                case "tool_choice":
                    ToolChoice(Object(value, name), chat);
                    break;
                case "thinking" or "service_tier" or "context_management" or "inference_geo":
                    // Settings of Anthropic's own service that the internal request cannot carry
                    // to every provider type: left out and named.
                    dropped.Add(name);
                    break;
                case "mcp_servers":
                    throw new InvalidRequestException("'mcp_servers' is not accepted: the provider would send prompt-derived text to servers the gateway does not govern.", name);
                case "container":
                    throw new InvalidRequestException("'container' is not accepted: provider-side code execution keeps data outside the gateway's governance.", name);
                default:
                    dropped.Add(DroppedFields.Name(name));
                    break;
            }
        }

        if (chat["max_tokens"] is null && !countOnly)
        {
            throw new InvalidRequestException("'max_tokens' is required.", "max_tokens");
        }

        return new TranslatedRequest(chat, dropped.ToList(), paths, FieldNames);
    }

    private static string SystemText(JsonNode system, DroppedFields dropped)
    {
        if (IsString(system))
        {
            return system.GetValue<string>();
        }

        var blocks = Array(system, "system");
        var texts = new List<string>(blocks.Count);
        for (var i = 0; i < blocks.Count; i++)
        {
            var path = $"system[{i}]";
            var block = Object(blocks[i], path);
            if (Type(block, path) != "text")
            {
                throw new InvalidRequestException($"'{path}.type' must be 'text'.", path + ".type");
            }

            DropUnknown(block, path, dropped, "type", "text");
            texts.Add(String(block["text"], path + ".text"));
        }

        return string.Join("\n\n", texts);
    }

    private static void Message(JsonNode? node, string path, JsonArray chatMessages, List<string> paths, DroppedFields dropped)
    {
        var message = Object(node, path);
        DropUnknown(message, path, dropped, "role", "content");
        var role = String(message["role"], path + ".role");
        if (role is not ("user" or "assistant"))
        {
            throw new InvalidRequestException($"'{path}.role' must be 'user' or 'assistant'.", path + ".role");
        }

        var content = message["content"];
        if (IsString(content))
        {
            chatMessages.Add(new JsonObject { ["role"] = role, ["content"] = content!.GetValue<string>() });
            paths.Add(path);
            return;
        }

        var blocks = Array(content, path + ".content");
        if (role == "assistant")
        {
            chatMessages.Add(Assistant(blocks, path, dropped));
            paths.Add(path);
            return;
        }

        // A user turn's tool results become tool messages, which must follow the assistant's
        // tool calls directly; the turn's other blocks follow them as one user message.
        var parts = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var blockPath = $"{path}.content[{i}]";
            var block = Object(blocks[i], blockPath);
            switch (Type(block, blockPath))
            {
                case "tool_result":
                    chatMessages.Add(ToolResult(block, blockPath, dropped));
                    paths.Add(blockPath);
                    break;
                case "text":
                    DropUnknown(block, blockPath, dropped, "type", "text");
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = String(block["text"], blockPath + ".text") });
                    break;
                case "image":
                    parts.Add(Image(block, blockPath, dropped));
                    break;
                default:
                    throw Unsupported(block, blockPath);
            }
        }

        if (parts.Count > 0)
        {
            chatMessages.Add(new JsonObject { ["role"] = "user", ["content"] = parts });
            paths.Add(path);
        }
    }

    private static JsonObject Assistant(JsonArray blocks, string path, DroppedFields dropped)
    {
        var texts = new List<string>();
        var calls = new JsonArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var blockPath = $"{path}.content[{i}]";
            var block = Object(blocks[i], blockPath);
            switch (Type(block, blockPath))
            {
                case "text":
                    DropUnknown(block, blockPath, dropped, "type", "text");
                    texts.Add(String(block["text"], blockPath + ".text"));
                    break;
                case "tool_use":
                    DropUnknown(block, blockPath, dropped, "type", "id", "name", "input");
                    calls.Add(new JsonObject
                    {
                        ["id"] = String(block["id"], blockPath + ".id"),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = String(block["name"], blockPath + ".name"),
                            ["arguments"] = (block["input"] ?? new JsonObject()).ToJsonString(),
                        },
                    });
                    break;
                case "thinking" or "redacted_thinking":
                    // Earlier reasoning is Anthropic-signed state no other provider can take.
                    dropped.Add(blockPath);
                    break;
                default:
                    throw Unsupported(block, blockPath);
            }
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = texts.Count > 0 ? string.Join(string.Empty, texts) : null };
        if (calls.Count > 0)
        {
            message["tool_calls"] = calls;
        }

        return message;
    }

    private static JsonObject ToolResult(JsonObject block, string path, DroppedFields dropped)
    {
        DropUnknown(block, path, dropped, "type", "tool_use_id", "content", "is_error");
        var id = String(block["tool_use_id"], path + ".tool_use_id");
        var content = block["content"] switch
        {
            null => string.Empty,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray parts => ToolResultText(parts, path + ".content", dropped),
            _ => throw new InvalidRequestException($"'{path}.content' must be a string or an array of text blocks.", path + ".content"),
        };
        if (block["is_error"] is JsonValue error && error.GetValueKind() == JsonValueKind.True)
        {
            content = "Error: " + content;
        }

        return new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = content };
    }

    private static string ToolResultText(JsonArray parts, string path, DroppedFields dropped)
    {
        var texts = new List<string>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var partPath = $"{path}[{i}]";
            var part = Object(parts[i], partPath);
            if (Type(part, partPath) != "text")
            {
                // A tool message carries text only on every provider type.
                throw new InvalidRequestException($"'{partPath}.type' must be 'text': tool results carry text only through the gateway.", partPath + ".type");
            }

            DropUnknown(part, partPath, dropped, "type", "text");
            texts.Add(String(part["text"], partPath + ".text"));
        }

        return string.Join("\n", texts);
    }

    private static JsonObject Image(JsonObject block, string path, DroppedFields dropped)
    {
        DropUnknown(block, path, dropped, "type", "source");
        var source = Object(block["source"], path + ".source");
        var url = Type(source, path + ".source") switch
        {
            "base64" => $"data:{String(source["media_type"], path + ".source.media_type")};base64,{String(source["data"], path + ".source.data")}",
            "url" => String(source["url"], path + ".source.url"),
            _ => throw new InvalidRequestException($"'{path}.source.type' must be 'base64' or 'url'.", path + ".source.type"),
        };
        return new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } };
    }

    private static InvalidRequestException Unsupported(JsonObject block, string path) =>
        new($"'{path}.type' '{DroppedFields.Name(block["type"]!.GetValue<string>())}' is not accepted: the gateway forwards text, images, tool uses and tool results.", path + ".type");

    private static void Metadata(JsonObject metadata, JsonObject chat, DroppedFields dropped)
    {
        foreach (var (name, value) in metadata)
        {
            if (name == "user_id" && value is not null)
            {
                chat["user"] = String(value, "metadata.user_id");
            }
            else if (value is not null)
            {
                dropped.Add("metadata." + DroppedFields.Name(name));
            }
        }
    }

    private static JsonArray Tools(JsonArray tools)
    {
        var result = new JsonArray();
        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools[{i}]";
            var tool = Object(tools[i], path);
            var type = Type(tool, path, "custom");
            if (type != "custom")
            {
                // Server tools (web search, web fetch, code execution) run at Anthropic, outside
                // the gateway; Anthropic-defined client tools (bash, text editor, computer) only
                // exist on Anthropic's models, and a route may lead elsewhere.
                throw new InvalidRequestException($"'{path}.type' '{DroppedFields.Name(type)}' is not accepted: only custom tools (name, description, input_schema) pass the gateway.", path + ".type");
            }

            var function = new JsonObject { ["name"] = String(tool["name"], path + ".name") };
            if (tool["description"] is { } description)
            {
                function["description"] = String(description, path + ".description");
            }

            function["parameters"] = Object(tool["input_schema"], path + ".input_schema").DeepClone();
            result.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }

        return result;
    }

    private static void ToolChoice(JsonObject choice, JsonObject chat)
    {
        chat["tool_choice"] = Type(choice, "tool_choice") switch
        {
            "auto" => "auto",
            "any" => "required",
            "none" => "none",
            "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = String(choice["name"], "tool_choice.name") } },
            _ => throw new InvalidRequestException("'tool_choice.type' must be auto, any, tool or none.", "tool_choice.type"),
        };
        if (choice["disable_parallel_tool_use"] is JsonValue v && v.GetValueKind() == JsonValueKind.True)
        {
            chat["parallel_tool_calls"] = false;
        }
    }
}
