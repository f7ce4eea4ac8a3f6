using System.Text;
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
                    PromptCollector.Any(bound, name, value, slots);
                }
            }
        }
        else if (bound["input"] is { } input)
        {
            PromptCollector.Any(bound, "input", input, slots);
        }

        return slots.Count == 0 ? DlpVerdict.Clean : Scan(slots, scanner);
    }

    private static DlpVerdict Scan(List<PromptSlot> slots, DlpScanner scanner)
    {
        var batch = BatchScan.ScanAll(scanner, [.. slots.Select(s => s.Text)]);
        var split = SplitValues.Find(slots, batch, scanner);
        var verdict = split.Count == 0 ? batch.Verdict : DlpVerdict.From(batch.Results.SelectMany(r => r.Findings).Concat(split.Select(s => s.Finding)));
        if (verdict.IsBlocked)
        {
            return verdict;
        }

        // Each slot's share of the split findings, found once: asking every split of every slot was
        // quadratic (64,000 two-part addresses in one 3.8 MB message took 76 s, outside the budget).
        var splitsOf = new List<SplitValues.Split>?[slots.Count];
        foreach (var s in split)
        {
            foreach (var slot in s.Slots)
            {
                (splitsOf[slot] ??= []).Add(s);
            }
        }

        // Values first, then property names: a renamed key must not be re-created by its value's write.
        foreach (var pass in new[] { false, true })
        {
            for (var i = 0; i < slots.Count; i++)
            {
                if (slots[i].IsPropertyName != pass)
                {
                    continue;
                }

                var text = splitsOf[i] is { } shares
                    ? Redact(slots[i].Text, batch.Results[i].Findings, shares, i)
                    : batch.Results[i].RedactedText;
                if (!ReferenceEquals(text, slots[i].Text) && text != slots[i].Text)
                {
                    slots[i].Write(text);
                }
            }
        }

        return verdict;
    }

    /// <summary>
    /// A slot's text with its own findings and its share of split findings (<paramref name="shares"/>) redacted: a split value's
    /// marker goes where it begins, and its rest is removed from the slots that follow.
    /// </summary>
    private static string Redact(string text, IReadOnlyList<DlpFinding> own, List<SplitValues.Split> shares, int slot)
    {
        var ranges = own.Where(f => f.Action >= DlpAction.Redact).Select(f => (f.Start, f.End, Marker: Marker(f.Category))).ToList();
        foreach (var s in shares.Where(s => s.Finding.Action >= DlpAction.Redact))
        {
            var start = slot == s.First ? s.StartInFirst : 0;
            var end = slot == s.Last ? s.EndInLast : text.Length;
            ranges.Add((start, end, slot == s.First ? Marker(s.Finding.Category) : string.Empty));
        }

        var output = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, end, marker) in ranges.OrderBy(r => r.Start))
        {
            output.Append(text, at, Math.Max(0, start - at)).Append(marker);
            at = Math.Max(at, end);
        }

        return output.Append(text, at, text.Length - at).ToString();
    }

    internal static string Marker(string category) => $"[REDACTED:{category.ToUpperInvariant()}]";
}
