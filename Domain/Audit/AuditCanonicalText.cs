using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Audit;

/// <summary>
/// The canonical form of a prompt or an answer before it is digested (docs/audit.md): Unicode
/// NFC, CRLF and CR turned into LF, trailing line breaks removed. A chat prompt is its messages
/// in order, each rendered as its role, a line break and its text, separated by a blank line;
/// a content array contributes its text parts joined by line breaks.
/// </summary>
public static class AuditCanonicalText
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Normalize(NormalizationForm.FormC)
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n');
        return normalized.TrimEnd('\n');
    }

    /// <summary>The canonical text of an OpenAI-style <c>messages</c> array.</summary>
    public static string FromChatMessages(JsonArray messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var parts = new List<string>(messages.Count);
        foreach (var message in messages)
        {
            var role = message?["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : string.Empty;
            parts.Add(role + "\n" + ContentText(message?["content"]));
        }

        return Normalize(string.Join("\n\n", parts));
    }

    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray items => string.Join("\n", items
            .Select(item => item?["text"] is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : null)
            .OfType<string>()),
        _ => string.Empty,
    };
}
