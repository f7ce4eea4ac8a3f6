
namespace Synapse.Dlp;

/// <summary>
/// A scan result with one <see cref="DlpExplanation"/> per finding, in the same order as
/// <see cref="DlpScanResult.Findings"/>: what the DLP test endpoint shows an operator.
/// </summary>
public sealed record DlpExplainedResult(DlpScanResult Result, IReadOnlyList<DlpExplanation> Explanations);
