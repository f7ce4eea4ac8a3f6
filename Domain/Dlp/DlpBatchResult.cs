
namespace Synapse.Dlp;

/// <summary>
/// The result of scanning a set of texts from one request (message parts, tool arguments, tool
/// results, names, embeddings input). <see cref="Results"/> is in input order.
/// </summary>
public sealed record DlpBatchResult(IReadOnlyList<DlpScanResult> Results, DlpVerdict Verdict)
{
    public bool IsBlocked => Verdict.IsBlocked;

    /// <summary>The redacted texts in input order.</summary>
    public IReadOnlyList<string> RedactedTexts => Results.Select(r => r.RedactedText).ToArray();
}
