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
        // A stream may stop between the halves of a surrogate pair: scan without the lone high half
        // and hold it back, since with its partner it may become, say, a mathematical bold digit.
        if (!final && original.Length > from && char.IsHighSurrogate(original[^1]))
        {
            var (trimmedCandidates, trimmedPending) = Scan(set, original[..^1], from, final, budget);
            return (trimmedCandidates, Math.Min(trimmedPending, original.Length - 1));
        }

        // Likewise an escape the next characters may complete ("4111&#3"): scan without it and hold it back.
        if (!final && TextEscapes.PartialStart(original) is var partial && partial > from)
        {
            var (trimmedCandidates, trimmedPending) = Scan(set, original[..partial], from, final, budget);
            return (trimmedCandidates, Math.Min(trimmedPending, partial));
        }

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
