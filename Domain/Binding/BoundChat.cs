using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Binding;

/// <summary>
/// A chat request as the binding rebuilt it: the body a provider may receive, what was left out
/// (names only) and whether the client sent system or developer messages of its own.
/// </summary>
public sealed record BoundChat(JsonObject Body, bool Stream, bool ClientWantsUsage, IReadOnlyList<string> Dropped, ClientSystemHandling SystemMessages)
{
    /// <summary>
    /// The names left out for a provider of <paramref name="providerType"/>: the binding's own, and
    /// the forwarded fields that type's protocol cannot carry (vendor parameters outside vLLM and
    /// Ollama, most parameters for Anthropic and Gemini).
    /// </summary>
    public IReadOnlyList<string> DroppedFor(string providerType)
    {
        List<string>? list = null;
        foreach (var (name, _) in Body)
        {
            if (ChatRequestFields.Rules.ContainsKey(name) && !ChatRequestFields.ProviderTakes(providerType, name))
            {
                (list ??= [.. Dropped]).Add(name);
            }
        }

        return list ?? Dropped;
    }

    /// <summary>
    /// The audit row's <c>detail</c>: how client system messages were handled and which fields were
    /// dropped, e.g. <c>{"clientSystemMessages":"demoted","droppedFields":["metadata"]}</c>; null when
    /// there is nothing to say. Field names only: never a value.
    /// </summary>
    public static string? AuditDetail(ClientSystemHandling systemMessages, IReadOnlyList<string> dropped)
    {
        if (systemMessages == ClientSystemHandling.None && dropped.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (systemMessages != ClientSystemHandling.None)
            {
                writer.WriteString("clientSystemMessages", systemMessages switch
                {
                    ClientSystemHandling.Demoted => "demoted",
                    ClientSystemHandling.Dropped => "dropped",
                    _ => "refused",
                });
            }

            if (dropped.Count > 0)
            {
                writer.WriteStartArray("droppedFields");
                foreach (var name in dropped)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
