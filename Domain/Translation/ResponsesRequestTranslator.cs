using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using static Synapse.Translation.TranslationJson;

namespace Synapse.Translation;

/// <summary>
/// OpenAI's Responses request (<c>POST /v1/responses</c>) as the gateway's internal Chat
/// Completions request, stateless: nothing is stored, so <c>previous_response_id</c>,
/// <c>conversation</c>, <c>store: true</c> and item references are refused. <c>instructions</c>
/// becomes a client system message, which the key's binding handles like any other.
/// </summary>
public static class ResponsesRequestTranslator
{
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["messages"] = "input",
        ["max_completion_tokens"] = "max_output_tokens",
        ["response_format"] = "text.format",
        ["verbosity"] = "text.verbosity",
        ["reasoning_effort"] = "reasoning.effort",
        ["stream_options"] = "stream",
    };

    private const string Stateless = "The gateway is stateless: it stores no responses or conversations (nothing outside its audit log keeps a prompt), so send the whole conversation in 'input'.";

    /// <summary>The client's name for a top-level field of the internal request.</summary>
    public static string ClientFieldName(string chatField) => FieldNames.GetValueOrDefault(chatField, chatField);

    /// <param name="body">The client's body, parsed by <see cref="RequestJson.ParseElement"/>.</param>
    public static TranslatedRequest Translate(JsonElement body)
    {
        var chat = new ChatRequestBuilder(body);
        if (Get(body, "instructions") is { ValueKind: not JsonValueKind.Undefined } instructions)
        {
            chat.AddSystem(IsString(instructions) ? JsonValue.Create(instructions)! : throw new InvalidRequestException("'instructions' must be a string.", "instructions"), "instructions");
        }

        switch (Get(body, "input"))
        {
            case { ValueKind: JsonValueKind.String } text:
                chat.Add(new JsonObject { ["role"] = "user", ["content"] = JsonValue.Create(text) }, new("input"));
                break;
            case { ValueKind: JsonValueKind.Array } items:
                Items(items, chat);
                break;
            default:
                throw new InvalidRequestException("'input' is required and must be a string or an array of input items.", "input");
        }

        chat.Fields(body, Field);
        return chat.Build(FieldNames);
    }

    private static void Field(ChatRequestBuilder chat, string name, JsonElement value)
    {
        switch (name)
        {
            case "input" or "instructions":
                break;
            case "max_output_tokens":
                chat.Chat["max_completion_tokens"] = Scalar(value, name, JsonValueKind.Number);
                break;
            case "parallel_tool_calls":
                chat.Chat[name] = Scalar(value, name, JsonValueKind.True);
                break;
            case "user" or "safety_identifier" or "prompt_cache_key" or "service_tier" or "prompt_cache_retention":
                // Checked again, and refused where it must be, by the Chat Completions rules.
                chat.Chat[name] = Copy(value);
                break;
            case "tools":
                // Hosted tools (web and file search, code interpreter, computer use, MCP, image
                // generation) run at the provider on data the gateway never sees.
                chat.Chat["tools"] = chat.FunctionTools(Array(value, name), "function", null, "parameters", schemaRequired: false, "only function tools pass the gateway.");
                break;
            case "tool_choice":
                chat.Chat["tool_choice"] = ToolChoice(value, chat.Dropped);
                break;
            case "text":
                Text(Object(value, name), chat);
                break;
            case "reasoning":
                var reasoning = Object(value, name);
                DropUnknown(reasoning, name, chat.Dropped, "effort");
                if (Copy(Get(reasoning, "effort")) is { } effort)
                {
                    chat.Chat["reasoning_effort"] = effort;
                }

                break;
            case "store":
                if (value.ValueKind == JsonValueKind.True)
                {
                    throw new InvalidRequestException("'store: true' is not accepted. " + Stateless, name);
                }

                Scalar(value, name, JsonValueKind.True);
                break;
            case "previous_response_id" or "conversation":
                throw new InvalidRequestException($"'{name}' is not accepted. " + Stateless, name);
            case "background":
                if (value.ValueKind == JsonValueKind.True)
                {
                    throw new InvalidRequestException("'background: true' is not accepted: a background response is stored to be fetched later. " + Stateless, name);
                }

                break;
            case "prompt":
                throw new InvalidRequestException("'prompt' is not accepted: a stored prompt template is text the gateway cannot read before the provider uses it.", name);
            case "metadata" or "include" or "truncation" or "stream_options" or "max_tool_calls" or "top_logprobs" or "context_management":
                // Labels for stored responses, extra output the gateway does not rebuild,
                // server-side context handling: left out and named.
                chat.Dropped.Add(name);
                break;
            default:
                chat.Dropped.AddClientName(string.Empty, name);
                break;
        }
    }

    private static void Items(JsonElement items, ChatRequestBuilder chat)
    {
        // Consecutive function calls are one assistant turn with parallel tool calls.
        JsonArray? pendingCalls = null;
        List<string>? pendingPaths = null;
        foreach (var (item, path) in Objects(items, "input"))
        {
            var type = Type(item, path, "message");
            if (type != "function_call" && pendingCalls is not null)
            {
                chat.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = pendingCalls }, new(pendingPaths![0], Calls: pendingPaths));
                (pendingCalls, pendingPaths) = (null, null);
            }

            switch (type)
            {
                case "message":
                    Message(item, path, chat);
                    break;
                case "function_call":
                    DropUnknown(item, path, chat.Dropped, "type", "call_id", "name", "arguments");
                    (pendingCalls ??= []).Add(ChatRequestBuilder.ToolCall(StringNode(item, "call_id", path), StringNode(item, "name", path), StringNode(item, "arguments", path)));
                    (pendingPaths ??= []).Add(path);
                    break;
                case "function_call_output":
                    DropUnknown(item, path, chat.Dropped, "type", "call_id", "output");
                    var output = Get(item, "output");
                    chat.Add(
                        new JsonObject
                        {
                            ["role"] = "tool",
                            ["tool_call_id"] = StringNode(item, "call_id", path),
                            ["content"] = output.ValueKind == JsonValueKind.Array
                                ? chat.JoinTexts(output, path + ".output", "\n", "'input_text': function outputs carry text only through the gateway", "input_text", "output_text")
                                : StringNode(item, "output", path),
                        },
                        new(path));
                    break;
                case "reasoning":
                    // A provider's earlier reasoning (often encrypted) that no other provider can take.
                    chat.Dropped.Add(path);
                    break;
                case "item_reference":
                    throw new InvalidRequestException($"'{path}' refers to a stored item. " + Stateless, path);
                default:
                    throw new InvalidRequestException($"'{path}.type' '{DroppedFields.Name(type)}' is not accepted: the gateway forwards messages, function calls and their outputs.", path + ".type");
            }
        }

        if (pendingCalls is not null)
        {
            chat.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = pendingCalls }, new(pendingPaths![0], Calls: pendingPaths));
        }
    }

    private static void Message(JsonElement item, string path, ChatRequestBuilder chat)
    {
        // An output item sent back as input keeps its id and status, which no provider is sent:
        // named like every other key the translation leaves out.
        DropUnknown(item, path, chat.Dropped, "type", "role", "content");
        var role = String(item, "role", path);
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            throw new InvalidRequestException($"'{path}.role' must be user, assistant, system or developer.", path + ".role");
        }

        var content = Get(item, "content");
        if (IsString(content))
        {
            chat.Add(new JsonObject { ["role"] = role, ["content"] = JsonValue.Create(content) }, new(path));
            return;
        }

        var parts = Array(content, path + ".content");
        var chatParts = new JsonArray();
        var partPaths = new List<string>();
        foreach (var (part, partPath) in Objects(parts, path + ".content"))
        {
            switch (Type(part, partPath))
            {
                case "input_text" or "output_text" or "text":
                    DropUnknown(part, partPath, chat.Dropped, "type", "text");
                    chatParts.Add(ChatRequestBuilder.TextPart(StringNode(part, "text", partPath)));
                    break;
                case "refusal" when role == "assistant":
                    DropUnknown(part, partPath, chat.Dropped, "type", "refusal");
                    chatParts.Add(new JsonObject { ["type"] = "refusal", ["refusal"] = StringNode(part, "refusal", partPath) });
                    break;
                case "input_image" when role == "user":
                    DropUnknown(part, partPath, chat.Dropped, "type", "image_url", "detail", "file_id");
                    if (Has(Get(part, "file_id")))
                    {
                        throw new InvalidRequestException($"'{partPath}.file_id' is not accepted: the gateway cannot read a file stored at the provider.", partPath + ".file_id");
                    }

                    var image = new JsonObject { ["url"] = StringNode(part, "image_url", partPath) };
                    if (OptionalStringNode(part, "detail", partPath) is { } detail)
                    {
                        image["detail"] = detail;
                    }

                    chatParts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = image });
                    break;
                case var type:
                    throw new InvalidRequestException($"'{partPath}.type' '{DroppedFields.Name(type)}' is not accepted in a {role} message.", partPath + ".type");
            }

            partPaths.Add(partPath);
        }

        chat.Add(new JsonObject { ["role"] = role, ["content"] = chatParts }, new(path, partPaths));
    }

    private static JsonNode ToolChoice(JsonElement value, DroppedFields dropped)
    {
        if (IsString(value))
        {
            return value.GetString() is "auto" or "none" or "required"
                ? JsonValue.Create(value)!
                : throw new InvalidRequestException("'tool_choice' must be auto, none, required or a function.", "tool_choice");
        }

        var choice = Object(value, "tool_choice");
        if (Type(choice, "tool_choice") != "function")
        {
            throw new InvalidRequestException("'tool_choice.type' must be 'function': hosted tools are not accepted.", "tool_choice.type");
        }

        DropUnknown(choice, "tool_choice", dropped, "type", "name");
        return ChatRequestBuilder.FunctionChoice(StringNode(choice, "name", "tool_choice"));
    }

    private static void Text(JsonElement text, ChatRequestBuilder chat)
    {
        DropUnknown(text, "text", chat.Dropped, "format", "verbosity");
        if (Copy(Get(text, "verbosity")) is { } verbosity)
        {
            chat.Chat["verbosity"] = verbosity;
        }

        if (Get(text, "format") is not { ValueKind: not JsonValueKind.Undefined } formatElement)
        {
            return;
        }

        var format = Object(formatElement, "text.format");
        switch (Type(format, "text.format"))
        {
            case "text":
                DropUnknown(format, "text.format", chat.Dropped, "type");
                break;
            case "json_object":
                DropUnknown(format, "text.format", chat.Dropped, "type");
                chat.Chat["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
            case "json_schema":
                DropUnknown(format, "text.format", chat.Dropped, "type", "name", "schema", "strict", "description");
                var schema = new JsonObject
                {
                    ["name"] = StringNode(format, "name", "text.format"),
                    ["schema"] = Copy(Object(Get(format, "schema"), "text.format.schema")),
                };
                if (Get(format, "strict") is { ValueKind: not JsonValueKind.Undefined } strict)
                {
                    schema["strict"] = Scalar(strict, "text.format.strict", JsonValueKind.True);
                }

                if (OptionalStringNode(format, "description", "text.format") is { } description)
                {
                    schema["description"] = description;
                }

                chat.Chat["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
                break;
            default:
                throw new InvalidRequestException("'text.format.type' must be text, json_object or json_schema.", "text.format.type");
        }
    }
}
