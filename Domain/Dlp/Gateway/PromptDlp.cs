using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Prompt DLP over a bound request: every string a provider will receive is read — message text
/// and parts, names, tool-call ids and arguments, refusals, text files and URLs, tool definitions
/// and their schemas (property names too), <c>stop</c>, <c>user</c>, <c>response_format</c>, the
/// embeddings input — in one batch with one time budget, and redactions are written back in
/// place. The running text is also scanned as one concatenation, so that a value split across two
/// messages or parts is still found. Not read: the model name, the key's own system prompt (the
/// first message when bound), the validated roles and part types, and binary media (see
/// <see cref="EmbeddedText"/>).
/// </summary>
public static class PromptDlp
{
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

            foreach (var (name, value) in bound)
            {
                if (name is not ("model" or "messages" or "stream" or "stream_options") && value is not null)
                {
                    PromptCollector.Any(bound, name, value, slots, readNumbers: true);
                }
            }
        }
        else if (bound["input"] is { } input)
        {
            PromptCollector.Any(bound, "input", input, slots);
        }

        return SlotScan.Apply(slots, scanner).Verdict;
    }
}
