using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Finds one category in normalised text. Two rules keep streaming exact:
/// whether a match exists at <c>[s, e)</c> may depend only on the text from <c>s - 48</c> to the end
/// of the match plus a few characters (<see cref="DetectionLimits.LookBehind"/>), and
/// <see cref="PendingStart"/> must return a position at or before every match that more text could
/// still create, change or remove.
/// </summary>
internal abstract class DlpDetector(string category)
{
    public string Category { get; } = category;

    /// <summary>Reports every match that starts at or after <paramref name="from"/>.</summary>
    public abstract void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink);

    /// <summary>
    /// The earliest index at which a match could begin that is not yet settled, given that more
    /// text may follow; <c>text.Length</c> when nothing is pending.
    /// </summary>
    public abstract int PendingStart(ReadOnlySpan<char> text);

    /// <summary>
    /// Why <c>[start, end)</c> of the normalised <paramref name="text"/>, a match of this detector, was
    /// reported. Called only to explain a scan (the DLP test endpoint), never on the request path.
    /// </summary>
    public virtual DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end) =>
        new(Category, $"matched the {Category} rules");
}
