using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Binding;

/// <summary>
/// Turns a client's chat-completions body into the one a provider receives: the key's system
/// prompt first, the client's own system and developer messages removed, the model fixed, and
/// only known OpenAI parameters forwarded.
/// </summary>
public static class ChatBindingEnforcer
{
    private static readonly HashSet<string> ForwardedFields = new(StringComparer.Ordinal)
    {
        "temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens",
        "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed",
        "tools", "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort",
        "functions", "function_call", "user", "stream_options",
    };

    private static readonly HashSet<string> ClientRoles = new(StringComparer.Ordinal) { "user", "assistant", "tool", "function" };
    private static readonly HashSet<string> DroppedRoles = new(StringComparer.Ordinal) { "system", "developer" };

    /// <summary>Whether a streaming client asked for the final usage chunk itself.</summary>
    public static bool ClientWantsUsage(JsonObject body) =>
        body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static JsonObject Bind(JsonObject body, KeyBinding binding, string model, out bool stream)
    {
        ForbiddenFields.Reject(body);
        stream = ReadStream(body);
        var bound = new JsonObject { ["model"] = model, ["messages"] = BindMessages(body, binding) };
        if (stream)
        {
            bound["stream"] = true;
        }

        foreach (var name in ForwardedFields)
        {
            if (body[name] is { } value)
            {
                bound[name] = value.DeepClone();
            }
        }

        if (!stream && bound.ContainsKey("stream_options"))
        {
            // OpenAI refuses stream_options without streaming; dropping it is the kinder answer.
            bound.Remove("stream_options");
        }
        else if (stream)
        {
            // Token limits settle against real usage, so a stream always asks the provider for it;
            // the usage chunk is passed on only to clients that asked for it themselves.
            bound["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return bound;
    }

    private static bool ReadStream(JsonObject body) => body["stream"] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new InvalidRequestException("'stream' must be true or false.", "stream"),
    };

    private static JsonArray BindMessages(JsonObject body, KeyBinding binding)
    {
        if (body["messages"] is not JsonArray messages)
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
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue roleValue
                || roleValue.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidRequestException($"messages[{i}] must be an object with a string 'role'.", $"messages[{i}]");
            }

            var role = roleValue.GetValue<string>();
            if (DroppedRoles.Contains(role))
            {
                continue;
            }

            if (!ClientRoles.Contains(role))
            {
                throw new InvalidRequestException($"messages[{i}].role must be one of user, assistant, tool, system or developer.", $"messages[{i}].role");
            }

            bound.Add(message.DeepClone());
            kept++;
        }

        if (kept == 0)
        {
            throw new InvalidRequestException("'messages' must contain at least one user, assistant or tool message.", "messages");
        }

        return bound;
    }
}
