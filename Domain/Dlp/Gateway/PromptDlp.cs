using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Prompt DLP over a bound request: every field the binding forwards is read, whatever the
/// operation — message text and parts, names, tool-call ids and arguments, refusals, text files
/// and URLs, tool definitions and their schemas (property names too), <c>stop</c>, <c>user</c>,
/// <c>response_format</c>, the embeddings input — in one batch with one time budget, and
/// redactions are written back in place. The running text is also scanned as one concatenation,
/// so that a value split across two messages or parts is still found. Not read: the fields in
/// <see cref="NotRead"/>, the key's own system prompt (the first message when bound), the
/// validated roles and part types, <c>seed</c> (see <see cref="PromptCollector.TopLevelNumber"/>)
/// and binary media (see <see cref="EmbeddedText"/>). Numbers are read as written and as the value
/// they are (<see cref="NumberText"/>).
/// </summary>
public static class PromptDlp
{
    /// <summary>
    /// The only fields of a bound body left unread: the model the key allowed and the stream
    /// switches the binder writes itself. Everything else a binding enforcer forwards is read, so a
    /// field added to a binding is scanned from its first day (an embeddings <c>user</c> once was not:
    /// only <c>input</c> was collected).
    /// </summary>
    public static readonly IReadOnlySet<string> NotRead = new HashSet<string>(["model", "stream", "stream_options"], StringComparer.Ordinal);

    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    /// <exception cref="Binding.InvalidRequestException">A base64 payload is not base64.</exception>
    public static DlpVerdict Apply(JsonObject bound, DlpScanner scanner, bool skipFirstMessage)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(scanner);
        var slots = new List<PromptSlot>();
        if (bound["messages"] is JsonArray messages)
        {
            for (var i = skipFirstMessage ? 1 : 0; i < messages.Count; i++)
            {
                if (messages[i] is JsonObject message)
                {
                    PromptCollector.Message(message, $"messages[{i}]", slots);
                }
            }
        }

        foreach (var (name, value) in bound)
        {
            if (!NotRead.Contains(name) && value is not null && !(name == "messages" && value is JsonArray))
            {
                // Numbers inside a structure are read (a schema's enum); an embeddings input holds
                // none, since the binding refuses token ids.
                PromptCollector.Any(bound, name, value, slots, readNumbers: true);
                PromptCollector.TopLevelNumber(bound, name, value, slots);
            }
        }

        return SlotScan.Apply(slots, scanner).Verdict;
    }
}
