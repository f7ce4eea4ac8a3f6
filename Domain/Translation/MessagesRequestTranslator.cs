using System.Text;
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
        ["response_format"] = "output_config.format",
        ["reasoning_effort"] = "output_config.effort",
    };

    /// <summary>The effort levels Chat Completions' <c>reasoning_effort</c> shares with Anthropic's <c>output_config.effort</c>.</summary>
    private static readonly string[] SharedEfforts = ["low", "medium", "high", "xhigh"];

    /// <summary>The client's name for a top-level field of the internal request.</summary>
    public static string ClientFieldName(string chatField) => FieldNames.GetValueOrDefault(chatField, chatField);

    /// <param name="body">The client's body, parsed by <see cref="RequestJson.ParseElement"/>.</param>
    /// <param name="countOnly">A <c>count_tokens</c> body: no <c>max_tokens</c>, nothing sent anywhere.</param>
    public static TranslatedRequest Translate(JsonElement body, bool countOnly = false)
    {
        var chat = new ChatRequestBuilder(body);
        if (Get(body, "system") is { ValueKind: not JsonValueKind.Undefined } system)
        {
            chat.AddSystem(SystemText(system, chat), "system");
        }

        if (Get(body, "messages") is not { ValueKind: JsonValueKind.Array } messages)
        {
            throw new InvalidRequestException("'messages' is required and must be an array of user and assistant turns.", "messages");
        }

        foreach (var (message, path) in Objects(messages, "messages"))
        {
            Message(message, path, chat);
        }

        chat.Fields(body, Field);
        if (chat.Chat["max_tokens"] is null && !countOnly)
        {
            throw new InvalidRequestException("'max_tokens' is required.", "max_tokens");
        }

        // Anthropic documents temperature from 0 to 1 (OpenAI's, which the binding checks, goes to 2).
        if (chat.Chat["temperature"] is { } temperature)
        {
            NumericField.RequireNumber("temperature", temperature, 0, 1);
        }

        return chat.Build(FieldNames);
    }

    private static void Field(ChatRequestBuilder chat, string name, JsonElement value)
    {
        switch (name)
        {
            case "messages" or "system":
                break;
            case "max_tokens":
                chat.Chat[name] = Scalar(value, name, JsonValueKind.Number);
                break;
            case "top_k":
                // An integer in Anthropic's reference; the binding would take any number, as vLLM's own.
                var topK = Scalar(value, name, JsonValueKind.Number);
                NumericField.RequireInteger(name, topK);
                chat.Chat[name] = topK;
                break;
            case "stop_sequences":
                chat.Chat["stop"] = Copy(Array(value, name));
                break;
            case "metadata":
                Metadata(Object(value, name), chat);
                break;
            case "tools":
                // Server tools (web search, web fetch, code execution) run at Anthropic, outside the
                // gateway; Anthropic-defined client tools (bash, text editor, computer) only exist on
                // Anthropic's models, and a route may lead elsewhere.
                chat.Chat["tools"] = chat.FunctionTools(Array(value, name), "custom", "custom", "input_schema", schemaRequired: true, "only custom tools (name, description, input_schema) pass the gateway.");
                break;
            case "tool_choice":
                ToolChoice(Object(value, name), chat);
                break;
            case "output_config":
                OutputConfig(Object(value, name), chat);
                break;
            case "output_format":
                // Structured outputs' earlier (beta) place for output_config.format.
                SetFormat(chat, value, name);
                break;
            case "thinking" or "service_tier" or "context_management" or "inference_geo":
                // Settings of Anthropic's own service that the internal request cannot carry to
                // every provider type: left out and named.
                chat.Dropped.Add(name);
                break;
            case "mcp_servers":
                throw new InvalidRequestException("'mcp_servers' is not accepted: the provider would send prompt-derived text to servers the gateway does not govern.", name);
            case "container":
                throw new InvalidRequestException("'container' is not accepted: provider-side code execution keeps data outside the gateway's governance.", name);
            default:
                chat.Dropped.AddClientName(string.Empty, name);
                break;
        }
    }

    private static JsonNode SystemText(JsonElement system, ChatRequestBuilder chat) =>
        IsString(system)
            ? JsonValue.Create(system)!
            : chat.JoinTexts(Array(system, "system"), "system", "\n\n", "'text'", "text");

    private static void Message(JsonElement message, string path, ChatRequestBuilder chat)
    {
        DropUnknown(message, path, chat.Dropped, "role", "content");
        var role = String(message, "role", path);
        if (role is not ("user" or "assistant"))
        {
            throw new InvalidRequestException($"'{path}.role' must be 'user' or 'assistant'.", path + ".role");
        }

        var content = Get(message, "content");
        if (IsString(content))
        {
            chat.Add(new JsonObject { ["role"] = role, ["content"] = JsonValue.Create(content) }, new(path));
            return;
        }

        var blocks = Array(content, path + ".content");
        if (role == "assistant")
        {
            Assistant(blocks, path, chat);
            return;
        }

        // A user turn's tool results become tool messages, which must follow the assistant's
        // tool calls directly; the turn's other blocks follow them as one user message.
        JsonArray? parts = null;
        List<string>? partPaths = null;
        foreach (var (block, blockPath) in Objects(blocks, path + ".content"))
        {
            switch (Type(block, blockPath))
            {
                case "tool_result":
                    chat.Add(ToolResult(block, blockPath, chat), new(blockPath));
                    continue;
                case "text":
                    DropUnknown(block, blockPath, chat.Dropped, "type", "text");
                    (parts ??= []).Add(ChatRequestBuilder.TextPart(StringNode(block, "text", blockPath)));
                    break;
                case "image":
                    (parts ??= []).Add(Image(block, blockPath, chat.Dropped));
                    break;
                default:
                    throw Unsupported(block, blockPath);
            }

            (partPaths ??= []).Add(blockPath);
        }

        if (parts is not null)
        {
            chat.Add(new JsonObject { ["role"] = "user", ["content"] = parts }, new(path, partPaths));
        }
    }

    private static void Assistant(JsonElement blocks, string path, ChatRequestBuilder chat)
    {
        var text = new StringBuilder();
        JsonArray? calls = null;
        List<string>? callPaths = null;
        foreach (var (block, blockPath) in Objects(blocks, path + ".content"))
        {
            switch (Type(block, blockPath))
            {
                case "text":
                    DropUnknown(block, blockPath, chat.Dropped, "type", "text");
                    text.Append(String(block, "text", blockPath));
                    break;
                case "tool_use":
                    DropUnknown(block, blockPath, chat.Dropped, "type", "id", "name", "input");
                    var input = Get(block, "input");
                    (calls ??= []).Add(ChatRequestBuilder.ToolCall(StringNode(block, "id", blockPath), StringNode(block, "name", blockPath), Has(input) ? input.GetRawText() : "{}"));
                    (callPaths ??= []).Add(blockPath);
                    break;
                case "thinking" or "redacted_thinking":
                    // Earlier reasoning is Anthropic-signed state no other provider can take.
                    chat.Dropped.Add(blockPath);
                    break;
                default:
                    throw Unsupported(block, blockPath);
            }
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 ? text.ToString() : null };
        if (calls is not null)
        {
            message["tool_calls"] = calls;
        }

        chat.Add(message, new(path, Calls: callPaths));
    }

    private static JsonObject ToolResult(JsonElement block, string path, ChatRequestBuilder chat)
    {
        DropUnknown(block, path, chat.Dropped, "type", "tool_use_id", "content", "is_error");
        var id = StringNode(block, "tool_use_id", path);
        var content = Get(block, "content");
        JsonNode text = content.ValueKind switch
        {
            JsonValueKind.Undefined => string.Empty,
            JsonValueKind.String => JsonValue.Create(content)!,
            JsonValueKind.Array => chat.JoinTexts(content, path + ".content", "\n", "'text': tool results carry text only through the gateway", "text"),
            _ => throw new InvalidRequestException($"'{path}.content' must be a string or an array of text blocks.", path + ".content"),
        };
        if (Get(block, "is_error").ValueKind == JsonValueKind.True)
        {
            text = "Error: " + text.GetValue<string>();
        }

        return new JsonObject { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = text };
    }

    private static JsonObject Image(JsonElement block, string path, DroppedFields dropped)
    {
        DropUnknown(block, path, dropped, "type", "source");
        var sourcePath = path + ".source";
        var source = Object(Get(block, "source"), sourcePath);
        JsonNode url;
        switch (Type(source, sourcePath))
        {
            case "base64":
                DropUnknown(source, sourcePath, dropped, "type", "media_type", "data");
                url = $"data:{MediaType(source, sourcePath)};base64,{String(source, "data", sourcePath)}";
                break;
            case "url":
                DropUnknown(source, sourcePath, dropped, "type", "url");
                url = StringNode(source, "url", sourcePath);
                break;
            default:
                throw new InvalidRequestException($"'{sourcePath}.type' must be 'base64' or 'url'.", sourcePath + ".type");
        }

        return new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } };
    }

    /// <summary>
    /// A base64 source's <c>media_type</c>, which reaches the provider as written (Anthropic's own
    /// field, or a data URL's header): refused unless it is a well-formed media type.
    /// </summary>
    private static string MediaType(JsonElement source, string sourcePath)
    {
        var mediaType = String(source, "media_type", sourcePath);
        return MediaTypeSyntax.IsWellFormed(mediaType)
            ? mediaType
            : throw new InvalidRequestException($"'{sourcePath}.media_type' must be a media type: {MediaTypeSyntax.Expected}.", sourcePath + ".media_type");
    }

    private static InvalidRequestException Unsupported(JsonElement block, string path) =>
        new($"'{path}.type' '{DroppedFields.Name(Type(block, path))}' is not accepted: the gateway forwards text, images, tool uses and tool results.", path + ".type");

    private static void Metadata(JsonElement metadata, ChatRequestBuilder chat)
    {
        foreach (var member in metadata.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (member.NameEquals("user_id"))
            {
                chat.Chat["user"] = JsonValue.Create(IsString(member.Value) ? member.Value : throw new InvalidRequestException("'metadata.user_id' must be a string.", "metadata.user_id"));
            }
            else
            {
                chat.Dropped.AddClientName("metadata.", member.Name);
            }
        }
    }

    private static void ToolChoice(JsonElement choice, ChatRequestBuilder chat)
    {
        var type = Type(choice, "tool_choice");
        chat.Chat["tool_choice"] = type switch
        {
            "auto" => "auto",
            "any" => "required",
            "none" => "none",
            "tool" => ChatRequestBuilder.FunctionChoice(StringNode(choice, "name", "tool_choice")),
            _ => throw new InvalidRequestException("'tool_choice.type' must be auto, any, tool or none.", "tool_choice.type"),
        };
        if (type == "tool")
        {
            DropUnknown(choice, "tool_choice", chat.Dropped, "type", "name", "disable_parallel_tool_use");
        }
        else
        {
            DropUnknown(choice, "tool_choice", chat.Dropped, "type", "disable_parallel_tool_use");
        }

        if (Get(choice, "disable_parallel_tool_use").ValueKind == JsonValueKind.True)
        {
            chat.Chat["parallel_tool_calls"] = false;
        }
    }

    /// <summary>
    /// <c>output_config</c>: <c>format</c> (structured output) becomes <c>response_format</c>;
    /// <c>effort</c> becomes <c>reasoning_effort</c> where Chat Completions has the level
    /// (<c>max</c> has none, and is dropped and named like the rest).
    /// </summary>
    private static void OutputConfig(JsonElement config, ChatRequestBuilder chat)
    {
        foreach (var member in config.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (member.NameEquals("format"))
            {
                SetFormat(chat, value, "output_config.format");
            }
            else if (member.NameEquals("effort") && !IsString(value))
            {
                throw new InvalidRequestException("'output_config.effort' must be a string.", "output_config.effort");
            }
            else if (member.NameEquals("effort") && SharedEfforts.Contains(value.GetString()))
            {
                chat.Chat["reasoning_effort"] = JsonValue.Create(value);
            }
            else
            {
                chat.Dropped.AddClientName("output_config.", member.Name);
            }
        }
    }

    /// <summary>
    /// Anthropic's JSON output format as Chat Completions' <c>response_format</c>. Chat Completions
    /// wants the schema named; Anthropic's has no name, so it is called <c>output</c>.
    /// </summary>
    private static void SetFormat(ChatRequestBuilder chat, JsonElement format, string path)
    {
        if (chat.Chat.ContainsKey("response_format"))
        {
            var other = path == "output_format" ? "output_config.format" : "output_format";
            throw new InvalidRequestException($"'{path}' cannot be sent with '{other}': send one of them.", path);
        }

        Object(format, path);
        if (Type(format, path) != "json_schema")
        {
            throw new InvalidRequestException($"'{path}.type' must be 'json_schema'.", path + ".type");
        }

        DropUnknown(format, path, chat.Dropped, "type", "schema");
        var schema = new JsonObject { ["name"] = "output", ["schema"] = Copy(Object(Get(format, "schema"), path + ".schema")) };
        chat.Chat["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
    }
}
