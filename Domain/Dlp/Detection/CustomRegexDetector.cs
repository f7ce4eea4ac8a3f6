using System.Text.RegularExpressions;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// An admin-defined category. The regex was compiled with
/// <see cref="RegexOptions.NonBacktracking"/> (linear in the input, whatever the pattern) and a
/// match timeout; a timeout surfaces as <see cref="DlpScanException"/> so the caller fails closed.
/// Streaming holds back the category's declared maximum match length.
/// </summary>
internal sealed class CustomRegexDetector(CompiledCustomCategory category) : DlpDetector(category.Name)
{
    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        try
        {
            foreach (var match in category.Regex.EnumerateMatches(text, from))
            {
                if (match.Length > 0)
                {
                    sink.Add(match.Index, match.Index + match.Length);
                    sink.Tick();
                }
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw new DlpScanException(DlpScanFailure.BudgetExceeded, $"The custom DLP category '{Category}' timed out.", ex);
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text) => Math.Max(0, text.Length - category.MaxLength - 1);

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end) =>
        new($"custom.{Category}", $"matched the admin-defined pattern of category {Category}");
}
