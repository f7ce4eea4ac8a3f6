using System.Text.Json.Nodes;

namespace Synapse.Translation;

/// <summary>
/// A Messages or Responses body as the gateway's internal Chat Completions request, before the
/// key's binding: <see cref="Chat"/> goes through the same binding, DLP, routing and audit as a
/// Chat Completions body. <see cref="Dropped"/> names what the translation left out (in the
/// client's own field paths); <see cref="MessagePaths"/> says which client field each chat message
/// came from, so a refusal names the client's field, not the internal one.
/// </summary>
public sealed record TranslatedRequest(JsonObject Chat, IReadOnlyList<string> Dropped, IReadOnlyList<string> MessagePaths, IReadOnlyDictionary<string, string> FieldNames)
{
    /// <summary>
    /// An internal path (<c>messages[3].content</c>, <c>max_completion_tokens</c>) as the client's
    /// field: the message it came from, or the client's name for the parameter.
    /// </summary>
    public string? ClientPath(string? chatPath)
    {
        if (chatPath is null)
        {
            return null;
        }

        if (chatPath.StartsWith("messages[", StringComparison.Ordinal))
        {
            var end = chatPath.IndexOf(']', StringComparison.Ordinal);
            if (end > 9 && int.TryParse(chatPath.AsSpan(9, end - 9), out var index) && index >= 0 && index < MessagePaths.Count)
            {
                return MessagePaths[index];
            }
        }

        var dot = chatPath.IndexOfAny(['.', '[']);
        var head = dot < 0 ? chatPath : chatPath[..dot];
        return FieldNames.TryGetValue(head, out var name) ? name : chatPath;
    }

    /// <summary>The internal request's dropped names (from the binding) as the client's, after the translation's own.</summary>
    public IReadOnlyList<string> ClientDropped(IReadOnlyList<string> chatDropped)
    {
        if (chatDropped.Count == 0)
        {
            return Dropped;
        }

        var names = new List<string>(Dropped);
        foreach (var name in chatDropped)
        {
            var mapped = ClientPath(name) ?? name;
            if (!names.Contains(mapped, StringComparer.Ordinal))
            {
                names.Add(mapped);
            }
        }

        return names;
    }
}
