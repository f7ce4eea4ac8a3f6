using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Dlp.Gateway;

/// <summary>The failure of an answer that DLP could not finish scanning: it is withheld, never sent unscanned.</summary>
public static class DlpFailures
{
    public const string ScanFailedCode = "dlp_scan_failed";

    public static ProviderFailure ScanFailed { get; } =
        new(ScanFailedCode, "The answer could not be checked by the data-loss-prevention policy in time, so it was withheld.");
}
