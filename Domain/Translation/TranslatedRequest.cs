using System.Globalization;
using System.Text.Json.Nodes;

namespace Synapse.Translation;

/// <summary>
/// A Messages or Responses body as the gateway's internal Chat Completions request, before the
/// key's binding: <see cref="Chat"/> goes through the same binding, DLP, routing and audit as a
/// Chat Completions body. <see cref="Dropped"/> names what the translation left out (in the
/// client's own field paths); <see cref="Origins"/> says where in the client's body each chat
/// message came from, so a refusal names the client's field, not the internal one.
/// </summary>
public sealed record TranslatedRequest(JsonObject Chat, IReadOnlyList<string> Dropped, IReadOnlyList<MessageOrigin> Origins, IReadOnlyDictionary<string, string> FieldNames)
{
    /// <summary>
    /// An internal path (<c>messages[3].content[1].image_url.url</c>, <c>max_completion_tokens</c>)
    /// as the client's field: the client's part, tool call or message it came from
    /// (<c>messages[2].content[2]</c>), or the client's name for the parameter.
    /// </summary>
    public string? ClientPath(string? chatPath) => chatPath is null ? null : Map(chatPath).Client;

    /// <summary>
    /// A refusal's message and field as the client reads them: the internal path the message
    /// names is replaced by the client's, so it never points at another item of the client's body.
    /// </summary>
    public (string Message, string? Param) ClientError(string message, string? chatPath)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (chatPath is null)
        {
            return (message, null);
        }

        var (client, matched, suffix) = Map(chatPath);
        if (matched.Length > 0)
        {
            // "messages[1].content[0].image_url.url must be …": the item renamed, the rest kept.
            message = ReplaceWhole(message, chatPath, client + suffix) ?? ReplaceWhole(message, matched, client) ?? message;
        }

        return (message, client);
    }

    /// <summary>The internal request's dropped names (from the binding) as the client's, after the translation's own.</summary>
    public IReadOnlyList<string> ClientDropped(IReadOnlyList<string> chatDropped)
    {
        ArgumentNullException.ThrowIfNull(chatDropped);
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

    /// <summary>The client's path, the internal prefix it replaces (empty when none does) and the internal rest after it.</summary>
    private (string Client, string Matched, string Suffix) Map(string chatPath)
    {
        if (Index(chatPath, "messages[", 0) is var (message, end) && message < Origins.Count)
        {
            var origin = Origins[message];
            if (Index(chatPath, ".content[", end) is var (part, partEnd) && origin.Parts is { } parts && part < parts.Count)
            {
                return (parts[part], chatPath[..partEnd], chatPath[partEnd..]);
            }

            if (Index(chatPath, ".tool_calls[", end) is var (call, callEnd) && origin.Calls is { } calls && call < calls.Count)
            {
                return (calls[call], chatPath[..callEnd], chatPath[callEnd..]);
            }

            return (origin.Path, chatPath[..end], chatPath[end..]);
        }

        var dot = chatPath.IndexOfAny(['.', '[']);
        var head = dot < 0 ? chatPath : chatPath[..dot];
        return FieldNames.TryGetValue(head, out var name) ? (name, head, string.Empty) : (chatPath, string.Empty, string.Empty);
    }

    /// <summary>
    /// <paramref name="message"/> with each occurrence of <paramref name="path"/> that is not part of
    /// a longer name (<c>stop</c> in <c>stop_sequences</c>) replaced; null when there is none.
    /// </summary>
    private static string? ReplaceWhole(string message, string path, string replacement)
    {
        string? result = null;
        var from = 0;
        for (var at = message.IndexOf(path, StringComparison.Ordinal); at >= 0; at = message.IndexOf(path, at + path.Length, StringComparison.Ordinal))
        {
            var end = at + path.Length;
            if ((at > 0 && (IsNameChar(message[at - 1]) || message[at - 1] is '.' or ']')) || (end < message.Length && IsNameChar(message[end])))
            {
                continue;
            }

            result = string.Concat(result ?? string.Empty, message.AsSpan(from, at - from), replacement);
            from = end;
        }

        return result is null ? null : string.Concat(result, message.AsSpan(from));
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>The index in <c>prefix[N]</c> at <paramref name="start"/>, and where it ends (after the bracket).</summary>
    private static (int Index, int End)? Index(string path, string prefix, int start)
    {
        if (string.CompareOrdinal(path, start, prefix, 0, prefix.Length) != 0)
        {
            return null;
        }

        var digits = start + prefix.Length;
        var close = path.IndexOf(']', digits);
        return close > digits && int.TryParse(path.AsSpan(digits, close - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (index, close + 1)
            : null;
    }
}
