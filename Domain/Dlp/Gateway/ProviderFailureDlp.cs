using System.Text;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// A provider's failure as the client reads it. The identifiers it repeats from the provider's
/// error body — type, code and param, and the type its message quotes — are the provider's text,
/// which only their shape (identifier characters) had limited: a card number or an access key
/// has that shape too. So they are read by DLP like an answer: an identifier with a finding is
/// left out — the gateway's own code and type answer instead, and one the message quotes
/// (<c>… during the stream (bad_4111…).</c>) goes from it whole, brackets and all, rather than
/// being shown half redacted — and when the scan cannot finish none of them is repeated.
/// </summary>
public static class ProviderFailureDlp
{
    public static ProviderFailure Apply(ProviderFailure failure, DlpScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(scanner);
        DlpBatchResult scanned;
        try
        {
            scanned = BatchScan.ScanAll(scanner, [failure.Message, failure.Type ?? string.Empty, failure.ProviderCode ?? string.Empty, failure.Param ?? string.Empty]);
        }
        catch (DlpScanException)
        {
            return failure with
            {
                Message = "The provider's error could not be checked by the data-loss-prevention policy in time, so its details were left out.",
                Type = null,
                ProviderCode = null,
                Param = null,
            };
        }

        var results = scanned.Results;
        if (!results.Any(r => r.IsModified || r.IsBlocked))
        {
            return failure;
        }

        return failure with
        {
            Message = results[0].Findings.Count > 0 ? WithoutQuotedIdentifiers(failure.Message, results[0].Findings) : failure.Message,
            Type = Clean(results[1], failure.Type),
            ProviderCode = Clean(results[2], failure.ProviderCode),
            Param = Clean(results[3], failure.Param),
        };
    }

    /// <summary>
    /// The message without each identifier that holds a finding: the gateway writes its messages
    /// itself and quotes the provider only in identifiers, in brackets (<c>HTTP 503 (server_error)</c>),
    /// so a finding lies in one; the identifier is the run of non-space characters around it up to
    /// its brackets or quotes, and emptied brackets go too.
    /// </summary>
    private static string WithoutQuotedIdentifiers(string message, IReadOnlyList<DlpFinding> findings)
    {
        var leftOut = new bool[message.Length];
        foreach (var finding in findings)
        {
            var start = finding.Start;
            var end = Math.Min(message.Length, finding.Start + finding.Length);
            while (start > 0 && !IsBoundary(message[start - 1]))
            {
                start--;
            }

            while (end < message.Length && !IsBoundary(message[end]))
            {
                end++;
            }

            Array.Fill(leftOut, true, start, end - start);
        }

        var kept = new StringBuilder(message.Length);
        for (var i = 0; i < message.Length; i++)
        {
            if (!leftOut[i])
            {
                kept.Append(message[i]);
            }
        }

        return kept.Replace(" ()", string.Empty).Replace("()", string.Empty).Replace(" ''", string.Empty).ToString();

        static bool IsBoundary(char c) => char.IsWhiteSpace(c) || c is '(' or ')' or '\'' or '"';
    }

    private static string? Clean(DlpScanResult result, string? identifier) => result.IsModified || result.IsBlocked ? null : identifier;
}
