using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using static Synapse.Translation.TranslationJson;

namespace Synapse.Translation;

/// <summary>
/// The internal Chat Completions request as a client API's translation builds it, with what both
/// APIs translate alike: the model, a client system text, streaming, sampling parameters,
/// function tools and calls, text parts, and where each chat message came from. Client values
/// that pass unchanged are carried as nodes over the client's own elements, not copied.
/// </summary>
internal sealed class ChatRequestBuilder
{
    private readonly JsonArray _messages = [];
    private readonly List<MessageOrigin> _origins = [];

    public ChatRequestBuilder(JsonElement body)
    {
        if (Copy(Get(body, "model")) is { } model)
        {
            Chat["model"] = model;
        }

        Chat["messages"] = _messages;
    }

    public JsonObject Chat { get; } = [];

    public DroppedFields Dropped { get; } = new();

    public void Add(JsonObject message, MessageOrigin origin)
    {
        _messages.Add(message);
        _origins.Add(origin);
    }

    /// <summary>The client's own system text (Messages' <c>system</c>, Responses' <c>instructions</c>): a client system message, which the binding handles as the key says.</summary>
    public void AddSystem(JsonNode text, string field) => Add(new JsonObject { ["role"] = "system", ["content"] = text }, new(field));

    /// <summary>
    /// Walks the body's top-level fields: nulls are absent, the fields both APIs translate alike
    /// are taken here, and each other one is given to the API's <paramref name="field"/>.
    /// </summary>
    public void Fields(JsonElement body, Action<ChatRequestBuilder, string, JsonElement> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        foreach (var member in body.EnumerateObject())
        {
            var (name, value) = (member.Name, member.Value);
            if (value.ValueKind != JsonValueKind.Null && !TakeShared(name, value))
            {
                field(this, name, value);
            }
        }
    }

    private bool TakeShared(string name, JsonElement value)
    {
        switch (name)
        {
            case "model":
                return true;
            case "stream":
                Chat["stream"] = Scalar(value, name, JsonValueKind.True);
                if (value.ValueKind == JsonValueKind.True)
                {
                    // The translation back needs the final usage (message_delta, response.completed).
                    Chat["stream_options"] = new JsonObject { ["include_usage"] = true };
                }

                return true;
            case "temperature" or "top_p":
                Chat[name] = Scalar(value, name, JsonValueKind.Number);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The client's <c>tools</c> as Chat Completions function tools: only tools of
    /// <paramref name="type"/> (<paramref name="defaultType"/> when a tool names none) are accepted,
    /// any other is refused with <paramref name="onlyThese"/>.
    /// </summary>
    public JsonArray FunctionTools(JsonElement tools, string type, string? defaultType, string schemaName, bool schemaRequired, string onlyThese)
    {
        var result = new JsonArray();
        foreach (var (tool, path) in Objects(tools, "tools"))
        {
            var given = Type(tool, path, defaultType);
            if (given != type)
            {
                throw new InvalidRequestException($"'{path}.type' '{DroppedFields.Name(given)}' is not accepted: {onlyThese}", path + ".type");
            }

            result.Add(FunctionTool(tool, path, schemaName, schemaRequired));
        }

        return result;
    }

    /// <summary>A client function tool as a Chat Completions tool: name, description, the schema named <paramref name="schemaName"/>, strict.</summary>
    private JsonObject FunctionTool(JsonElement tool, string path, string schemaName, bool schemaRequired)
    {
        DropUnknown(tool, path, Dropped, "type", "name", "description", schemaName, "strict");
        var function = new JsonObject { ["name"] = StringNode(tool, "name", path) };
        if (OptionalStringNode(tool, "description", path) is { } description)
        {
            function["description"] = description;
        }

        var schema = Get(tool, schemaName);
        if (schemaRequired || Has(schema))
        {
            function["parameters"] = Copy(Object(schema, path + "." + schemaName));
        }

        if (Get(tool, "strict") is { ValueKind: not JsonValueKind.Undefined } strict)
        {
            function["strict"] = Scalar(strict, path + ".strict", JsonValueKind.True);
        }

        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    /// <summary>A named function as <c>tool_choice</c>.</summary>
    public static JsonObject FunctionChoice(JsonNode name) =>
        new() { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };

    /// <summary>An assistant's earlier tool call as a Chat Completions <c>tool_calls</c> entry.</summary>
    public static JsonObject ToolCall(JsonNode id, JsonNode name, JsonNode arguments) => new()
    {
        ["id"] = id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
    };

    public static JsonObject TextPart(JsonNode text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>
    /// Text-only parts (a system's blocks, a tool result's or function output's content) joined
    /// into one string; any other part type is refused with <paramref name="onlyText"/>.
    /// </summary>
    public string JoinTexts(JsonElement parts, string path, string separator, string onlyText, params ReadOnlySpan<string> textTypes)
    {
        var text = new StringBuilder();
        var first = true;
        foreach (var (part, partPath) in Objects(parts, path))
        {
            if (!textTypes.Contains(Type(part, partPath)))
            {
                throw new InvalidRequestException($"'{partPath}.type' must be {onlyText}.", partPath + ".type");
            }

            DropUnknown(part, partPath, Dropped, "type", "text");
            text.Append(first ? string.Empty : separator).Append(String(part, "text", partPath));
            first = false;
        }

        return text.ToString();
    }

    public TranslatedRequest Build(IReadOnlyDictionary<string, string> fieldNames) => new(Chat, Dropped.ToList(), _origins, fieldNames);
}
