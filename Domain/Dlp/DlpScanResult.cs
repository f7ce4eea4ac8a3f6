
namespace Synapse.Dlp;

/// <summary>
/// The result of scanning one text. <see cref="RedactedText"/> is the original text with every
/// <c>redact</c> and <c>block</c> finding replaced by <c>[REDACTED:CATEGORY]</c>; it is the same
/// string instance as the input when nothing was replaced.
/// </summary>
public sealed record DlpScanResult(string RedactedText, IReadOnlyList<DlpFinding> Findings, DlpVerdict Verdict)
{
    public bool IsBlocked => Verdict.IsBlocked;

    /// <summary>True when the text must not go on unchanged (something was blocked or redacted).</summary>
    public bool IsModified => Findings.Any(f => f.Action >= DlpAction.Redact);
}
