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
        ["max_completion_tokens"] = "max_output_tokens",
        ["response_format"] = "text.format",
        ["verbosity"] = "text.verbosity",
        ["reasoning_effort"] = "reasoning.effort",
        ["stream_options"] = "stream",
    };

    private const string Stateless = "The gateway is stateless: it stores no responses or conversations (nothing outside its audit log keeps a prompt), so send the whole conversation in 'input'.";

    public static TranslatedRequest Translate(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var dropped = new DroppedFields();
        var paths = new List<string>();
        var messages = new JsonArray();
        var chat = new JsonObject();
        if (body["model"] is { } model)
        {
            chat["model"] = model.DeepClone();
        }

        if (body["instructions"] is { } instructions)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = String(instructions, "instructions") });
            paths.Add("instructions");
        }

        switch (body["input"])
        {
            case JsonValue text when IsString(text):
                messages.Add(new JsonObject { ["role"] = "user", ["content"] = text.GetValue<string>() });
                paths.Add("input");
                break;
            case JsonArray items:
                Items(items, messages, paths, dropped);
                break;
            default:
                throw new InvalidRequestException("'input' is required and must be a string or an array of input items.", "input");
        }

        chat["messages"] = messages;
        foreach (var (name, value) in body)
        {
            if (value is null)
            {
                continue;
            }

            switch (name)
            {
                case "model" or "input" or "instructions":
                    break;
                case "stream":
                    chat["stream"] = Scalar(value, name, JsonValueKind.True);
                    if (value.GetValueKind() == JsonValueKind.True)
                    {
                        // The translation back needs the final usage for response.completed.
                        chat["stream_options"] = new JsonObject { ["include_usage"] = true };
                    }

                    break;
                case "max_output_tokens":
                    chat["max_completion_tokens"] = Scalar(value, name, JsonValueKind.Number);
                    break;
                case "temperature" or "top_p":
                    chat[name] = Scalar(value, name, JsonValueKind.Number);
                    break;
                case "parallel_tool_calls":
                    chat[name] = Scalar(value, name, JsonValueKind.True);
                    break;
                case "user" or "safety_identifier" or "prompt_cache_key" or "service_tier" or "prompt_cache_retention":
                    // Checked again, and refused where it must be, by the Chat Completions rules.
                    chat[name] = value.DeepClone();
                    break;
                case "tools":
                    chat["tools"] = Tools(Array(value, name));
                    break;
                case "tool_choice":
                    chat["tool_choice"] = ToolChoice(value);
                    break;
                case "text":
                    Text(Object(value, name), chat, dropped);
                    break;
                case "reasoning":
                    Reasoning(Object(value, name), chat, dropped);
                    break;
                case "store":
                    if (value.GetValueKind() == JsonValueKind.True)
                    {
                        throw new InvalidRequestException("'store: true' is not accepted. " + Stateless, name);
                    }

                    Scalar(value, name, JsonValueKind.True);
                    break;
                case "previous_response_id" or "conversation":
                    throw new InvalidRequestException($"'{name}' is not accepted. " + Stateless, name);
                case "background":
                    if (value.GetValueKind() == JsonValueKind.True)
                    {
                        throw new InvalidRequestException("'background: true' is not accepted: a background response is stored to be fetched later. " + Stateless, name);
                    }

                    break;
                case "prompt":
                    throw new InvalidRequestException("'prompt' is not accepted: a stored prompt template is text the gateway cannot read before the provider uses it.", name);
                case "metadata" or "include" or "truncation" or "stream_options" or "max_tool_calls" or "top_logprobs" or "context_management":
                    // Labels for stored responses, extra output the gateway does not rebuild,
                    // server-side context handling: left out and named.
                    dropped.Add(name);
                    break;
                default:
                    dropped.Add(DroppedFields.Name(name));
                    break;
            }
        }

        return new TranslatedRequest(chat, dropped.ToList(), paths, FieldNames);
    }

    private static void Items(JsonArray items, JsonArray messages, List<string> paths, DroppedFields dropped)
    {
        JsonObject? pendingCalls = null;
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"input[{i}]";
            var item = Object(items[i], path);
            var type = Type(item, path, "message");
            if (type != "function_call")
            {
                pendingCalls = null;
            }

            switch (type)
            {
                case "message":
                    messages.Add(Message(item, path, dropped));
                    paths.Add(path);
                    break;
                case "function_call":
                    DropUnknown(item, path, dropped, "type", "id", "call_id", "name", "arguments", "status");
                    var call = new JsonObject
                    {
                        ["id"] = String(item["call_id"], path + ".call_id"),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = String(item["name"], path + ".name"), ["arguments"] = String(item["arguments"], path + ".arguments") },
                    };

                    // Consecutive calls are one assistant turn with parallel tool calls.
                    if (pendingCalls is null)
                    {
                        pendingCalls = new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray() };
                        messages.Add(pendingCalls);
                        paths.Add(path);
                    }

                    pendingCalls["tool_calls"]!.AsArray().Add(call);
                    break;
                case "function_call_output":
                    DropUnknown(item, path, dropped, "type", "id", "call_id", "output", "status");
                    messages.Add(new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = String(item["call_id"], path + ".call_id"),
                        ["content"] = item["output"] is JsonArray output ? OutputText(output, path + ".output") : String(item["output"], path + ".output"),
                    });
                    paths.Add(path);
                    break;
                case "reasoning":
                    // A provider's earlier reasoning (often encrypted) that no other provider can take.
                    dropped.Add(path);
                    break;
                case "item_reference":
                    throw new InvalidRequestException($"'{path}' refers to a stored item. " + Stateless, path);
                default:
                    throw new InvalidRequestException($"'{path}.type' '{DroppedFields.Name(type)}' is not accepted: the gateway forwards messages, function calls and their outputs.", path + ".type");
            }
        }
    }

    private static JsonObject Message(JsonObject item, string path, DroppedFields dropped)
    {
        DropUnknown(item, path, dropped, "type", "role", "content", "id", "status");
        var role = String(item["role"], path + ".role");
        if (role is not ("user" or "assistant" or "system" or "developer"))
        {
            throw new InvalidRequestException($"'{path}.role' must be user, assistant, system or developer.", path + ".role");
        }

        var content = item["content"];
        if (IsString(content))
        {
            return new JsonObject { ["role"] = role, ["content"] = content!.GetValue<string>() };
        }

        var parts = Array(content, path + ".content");
        var chatParts = new JsonArray();
        for (var i = 0; i < parts.Count; i++)
        {
            var partPath = $"{path}.content[{i}]";
            var part = Object(parts[i], partPath);
            switch (Type(part, partPath))
            {
                case "input_text" or "output_text" or "text":
                    DropUnknown(part, partPath, dropped, "type", "text", "annotations", "logprobs");
                    chatParts.Add(new JsonObject { ["type"] = "text", ["text"] = String(part["text"], partPath + ".text") });
                    break;
                case "refusal" when role == "assistant":
                    DropUnknown(part, partPath, dropped, "type", "refusal");
                    chatParts.Add(new JsonObject { ["type"] = "refusal", ["refusal"] = String(part["refusal"], partPath + ".refusal") });
                    break;
                case "input_image" when role == "user":
                    DropUnknown(part, partPath, dropped, "type", "image_url", "detail", "file_id");
                    if (part["file_id"] is not null)
                    {
                        throw new InvalidRequestException($"'{partPath}.file_id' is not accepted: the gateway cannot read a file stored at the provider.", partPath + ".file_id");
                    }

                    var image = new JsonObject { ["url"] = String(part["image_url"], partPath + ".image_url") };
                    if (part["detail"] is { } detail)
                    {
                        image["detail"] = String(detail, partPath + ".detail");
                    }

                    chatParts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = image });
                    break;
                default:
                    throw new InvalidRequestException($"'{partPath}.type' '{DroppedFields.Name(part["type"]!.GetValue<string>())}' is not accepted in a {role} message.", partPath + ".type");
            }
        }

        return new JsonObject { ["role"] = role, ["content"] = chatParts };
    }

    private static string OutputText(JsonArray output, string path)
    {
        var texts = new List<string>(output.Count);
        for (var i = 0; i < output.Count; i++)
        {
            var partPath = $"{path}[{i}]";
            var part = Object(output[i], partPath);
            if (Type(part, partPath) is not ("input_text" or "output_text"))
            {
                throw new InvalidRequestException($"'{partPath}.type' must be 'input_text': function outputs carry text only through the gateway.", partPath + ".type");
            }

            texts.Add(String(part["text"], partPath + ".text"));
        }

        return string.Join("\n", texts);
    }

    private static JsonArray Tools(JsonArray tools)
    {
        var result = new JsonArray();
        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools[{i}]";
            var tool = Object(tools[i], path);
            var type = Type(tool, path);
            if (type != "function")
            {
                // Hosted tools (web and file search, code interpreter, computer use, MCP, image
                // generation) run at the provider on data the gateway never sees.
                throw new InvalidRequestException($"'{path}.type' '{DroppedFields.Name(type)}' is not accepted: only function tools pass the gateway.", path + ".type");
            }

            var function = new JsonObject { ["name"] = String(tool["name"], path + ".name") };
            if (tool["description"] is { } description)
            {
                function["description"] = String(description, path + ".description");
            }

            if (tool["parameters"] is { } parameters)
            {
                function["parameters"] = Object(parameters, path + ".parameters").DeepClone();
            }

            if (tool["strict"] is { } strict)
            {
                function["strict"] = Scalar(strict, path + ".strict", JsonValueKind.True);
            }

            result.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }

        return result;
    }

    private static JsonNode ToolChoice(JsonNode value)
    {
        if (IsString(value))
        {
            return value.GetValue<string>() is "auto" or "none" or "required"
                ? value.DeepClone()
                : throw new InvalidRequestException("'tool_choice' must be auto, none, required or a function.", "tool_choice");
        }

        var choice = Object(value, "tool_choice");
        return Type(choice, "tool_choice") == "function"
            ? new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = String(choice["name"], "tool_choice.name") } }
            : throw new InvalidRequestException("'tool_choice.type' must be 'function': hosted tools are not accepted.", "tool_choice.type");
    }

    private static void Text(JsonObject text, JsonObject chat, DroppedFields dropped)
    {
        DropUnknown(text, "text", dropped, "format", "verbosity");
        if (text["verbosity"] is { } verbosity)
        {
            chat["verbosity"] = verbosity.DeepClone();
        }

        if (text["format"] is not { } formatNode)
        {
            return;
        }

        var format = Object(formatNode, "text.format");
        switch (Type(format, "text.format"))
        {
            case "text":
                break;
            case "json_object":
                chat["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
            case "json_schema":
                DropUnknown(format, "text.format", dropped, "type", "name", "schema", "strict", "description");
                var schema = new JsonObject
                {
                    ["name"] = String(format["name"], "text.format.name"),
                    ["schema"] = Object(format["schema"], "text.format.schema").DeepClone(),
                };
                if (format["strict"] is { } strict)
                {
                    schema["strict"] = Scalar(strict, "text.format.strict", JsonValueKind.True);
                }

                if (format["description"] is { } description)
                {
                    schema["description"] = String(description, "text.format.description");
                }

                chat["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
                break;
            default:
                throw new InvalidRequestException("'text.format.type' must be text, json_object or json_schema.", "text.format.type");
        }
    }

    private static void Reasoning(JsonObject reasoning, JsonObject chat, DroppedFields dropped)
    {
        DropUnknown(reasoning, "reasoning", dropped, "effort");
        if (reasoning["effort"] is { } effort)
        {
            chat["reasoning_effort"] = effort.DeepClone();
        }
    }
}
