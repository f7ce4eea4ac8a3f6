using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Binding;

/// <summary>
/// Turns a client's chat-completions body into the one a provider receives, field by field
/// (<see cref="ChatRequestFields"/>): the model fixed, the key's system prompt first and alone in
/// the system role, the client's messages rebuilt from the keys the gateway knows
/// (<see cref="MessageBinder"/>), known parameters checked and forwarded, the rest dropped and
/// reported, and what would let data or cost escape refused with a 400 that names the field.
/// </summary>
public static class ChatBindingEnforcer
{
    /// <summary>Whether a streaming client asked for the final usage chunk itself.</summary>
    public static bool ClientWantsUsage(JsonObject body) =>
        body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>The bound body alone (see <see cref="BindChat"/> for what was left out).</summary>
    public static JsonObject Bind(JsonObject body, KeyBinding binding, string model, out bool stream)
    {
        var bound = BindChat(body, binding, model);
        stream = bound.Stream;
        return bound.Body;
    }

    /// <exception cref="InvalidRequestException">The body is refused; the message and param name the field.</exception>
    public static BoundChat BindChat(JsonObject body, KeyBinding binding, string model)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(binding);
        ForbiddenFields.Reject(body);
        var stream = ReadStream(body);
        var dropped = new DroppedFields();
        var messages = new MessageBinder(binding, dropped);
        var bound = new JsonObject { ["model"] = model };
        bound["messages"] = messages.Bind(body["messages"]);

        if (stream)
        {
            bound["stream"] = true;

            // Token limits settle against real usage, so a stream always asks the provider for it;
            // the usage chunk is passed on only to clients that asked for it themselves.
            bound["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        CheckStreamOptions(body, stream, dropped);
        foreach (var (name, value) in body)
        {
            if (name is "model" or "messages" or "stream" or "stream_options" || value is null)
            {
                continue;
            }

            if (!ChatRequestFields.Rules.TryGetValue(name, out var rule))
            {
                dropped.AddClientName(string.Empty, name);
                continue;
            }

            if (rule == ChatFieldRule.Drop)
            {
                dropped.Add(name);
                continue;
            }

            bound[name] = ChatRequestFields.Check(name, value)!.DeepClone();
        }

        var systemMessages = !messages.SawClientSystemMessages ? ClientSystemHandling.None
            : binding.ClientSystemMessages == ClientSystemMessages.Drop ? ClientSystemHandling.Dropped
            : ClientSystemHandling.Demoted;
        return new BoundChat(bound, stream, stream && ClientWantsUsage(body), dropped.ToList(), systemMessages);
    }

    private static bool ReadStream(JsonObject body) => body["stream"] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new InvalidRequestException("'stream' must be true or false.", "stream"),
    };

    /// <summary>
    /// The gateway writes <c>stream_options</c> itself. A client's <c>include_usage</c> is honoured
    /// (on the way back); anything else in it is reported as dropped, and without streaming the
    /// whole object is, as OpenAI refuses it there.
    /// </summary>
    private static void CheckStreamOptions(JsonObject body, bool stream, DroppedFields dropped)
    {
        switch (body["stream_options"])
        {
            case null:
                return;
            case JsonObject options when stream:
                foreach (var (name, value) in options)
                {
                    if (name == "include_usage")
                    {
                        // As 'stream' is: "yes" read as false would silently drop the usage asked for.
                        if (value is not null && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                        {
                            throw new InvalidRequestException("'stream_options.include_usage' must be true or false.", "stream_options.include_usage");
                        }
                    }
                    else if (value is not null)
                    {
                        dropped.AddClientName("stream_options.", name);
                    }
                }

                return;
            case JsonObject:
                dropped.Add("stream_options");
                return;
            default:
                throw new InvalidRequestException("'stream_options' must be an object.", "stream_options");
        }
    }
}
