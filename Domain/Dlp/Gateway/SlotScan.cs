using System.Text;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Scans the strings of one message — a request's, or a provider's answer — in one batch with one
/// time budget, the joinable ones once more as one concatenation (<see cref="SplitValues"/>), and
/// writes each redaction back in place: a split value's marker where it begins, its rest removed
/// from the strings that follow. Nothing is written when the verdict blocks.
/// </summary>
internal static class SlotScan
{
    /// <param name="bothWays">
    /// Join the slots first to last and also last to first: a request is read in its order, but the
    /// parts of an answer (reasoning and content, two choices) a client may put together either way.
    /// </param>
    /// <returns>
    /// The verdict, which slots were written back (redacted), and each slot's own scan (for a caller
    /// that still sends some slots when the verdict blocks).
    /// </returns>
    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    public static (DlpVerdict Verdict, bool[] Rewritten, IReadOnlyList<DlpScanResult> Own) Apply(List<PromptSlot> slots, DlpScanner scanner, bool bothWays = false)
    {
        var rewritten = new bool[slots.Count];
        if (slots.Count == 0)
        {
            return (DlpVerdict.Clean, rewritten, []);
        }

        var batch = BatchScan.ScanAll(scanner, [.. slots.Select(s => s.Text)]);
        var split = SplitValues.Find(slots, batch, scanner);
        if (bothWays)
        {
            split.AddRange(SplitValues.Find(slots, batch, scanner, backwards: true));
        }

        var verdict = split.Count == 0 ? batch.Verdict : DlpVerdict.From(batch.Results.SelectMany(r => r.Findings).Concat(split.Select(s => s.Finding)));
        if (verdict.IsBlocked)
        {
            return (verdict, rewritten, batch.Results);
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
                    rewritten[i] = true;
                }
            }
        }

        return (verdict, rewritten, batch.Results);
    }

    internal static string Marker(string category) => $"[REDACTED:{category.ToUpperInvariant()}]";

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
}
