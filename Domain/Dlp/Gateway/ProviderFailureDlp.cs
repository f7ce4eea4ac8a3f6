using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// A provider's failure as the client reads it. The identifiers it repeats from the provider's
/// error body — type, code and param, and the type its message quotes — are the provider's text,
/// which only their shape (identifier characters) had limited: a card number or an access key
/// has that shape too. So they are read by DLP like an answer: an identifier with a finding is
/// left out (the gateway's own code and type answer instead), the message keeps its redacted
/// form, and when the scan cannot finish none of them is repeated.
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
            Message = results[0].RedactedText,
            Type = Clean(results[1], failure.Type),
            ProviderCode = Clean(results[2], failure.ProviderCode),
            Param = Clean(results[3], failure.Param),
        };
    }

    private static string? Clean(DlpScanResult result, string? identifier) => result.IsModified || result.IsBlocked ? null : identifier;
}
