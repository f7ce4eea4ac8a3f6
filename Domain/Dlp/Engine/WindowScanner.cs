using Synapse.Dlp.Normalization;

namespace Synapse.Dlp.Engine;

/// <summary>
/// Runs every detector over the normalised view of a text (or of a stream's window) and maps the
/// candidates back to original offsets.
/// </summary>
internal static class WindowScanner
{
    /// <summary>
    /// Candidates starting at or after <paramref name="from"/> (original offsets), and, unless
    /// <paramref name="final"/>, the original offset from which more text could still change them.
    /// </summary>
    public static (List<Candidate> Candidates, int Pending) Scan(
        DetectorSet set, ReadOnlySpan<char> original, int from, bool final, ScanBudget budget)
    {
        // What the next characters may still change is scanned without and held back.
        if (!final && HeldBackFrom(original, from) is var end && end < original.Length)
        {
            var (candidates, pending) = ScanWindow(set, original[..end], from, final, budget);
            return (candidates, Math.Min(pending, end));
        }

        return ScanWindow(set, original, from, final, budget);
    }

    /// <summary>
    /// Where a stream's text stops being settled: before a lone high surrogate at its end (with its
    /// partner it may become, say, a mathematical bold digit) and before an escape the next
    /// characters may complete (<c>4111&amp;#3</c>, <c>jane [a</c>). Found once, on the text as
    /// it stands: a text cut there may end in what looks like another unfinished escape
    /// (<c>&amp;&amp;&amp;</c>), which is not one, since what follows it is known.
    /// </summary>
    private static int HeldBackFrom(ReadOnlySpan<char> original, int from)
    {
        var end = original.Length;
        if (end > from && char.IsHighSurrogate(original[end - 1]))
        {
            end--;
        }

        return TextEscapes.PartialStart(original[..end]) is var partial && partial > from ? partial : end;
    }

    private static (List<Candidate> Candidates, int Pending) ScanWindow(
        DetectorSet set, ReadOnlySpan<char> original, int from, bool final, ScanBudget budget)
    {
        using var view = NormalizedView.Create(original);
        var text = view.Text;
        var fromNormalized = view.FromOriginal(from);
        var sink = new CandidateSink(budget);
        for (var d = 0; d < set.Detectors.Length; d++)
        {
            budget.Check();
            sink.Detector = d;
            set.Detectors[d].Detect(text, fromNormalized, sink);
        }

        var pending = original.Length;
        if (!final)
        {
            var pendingNormalized = text.Length;
            foreach (var detector in set.Detectors)
            {
                pendingNormalized = Math.Min(pendingNormalized, detector.PendingStart(text));
            }

            pending = view.ToOriginalStart(pendingNormalized);
        }

        var candidates = sink.Candidates;
        if (!view.IsIdentity)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                var c = candidates[i];
                candidates[i] = c with { Start = view.ToOriginalStart(c.Start), End = view.ToOriginalEnd(c.End) };
            }
        }

        budget.Check();
        return (candidates, pending);
    }
}
