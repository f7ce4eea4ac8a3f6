
namespace Synapse.Dlp;

/// <summary>What the gateway does when a category is found. Ordered by severity.</summary>
public enum DlpAction
{
    /// <summary>The category is not scanned at all.</summary>
    Off = 0,

    /// <summary>The text passes unchanged; the finding is reported (audit, alerting).</summary>
    Alert = 1,

    /// <summary>
    /// The text passes unchanged, but the request may only go to an on-prem provider: a
    /// non-sensitive key's request is treated as sensitive for routing (prompts only).
    /// </summary>
    RouteOnPrem = 2,

    /// <summary>The match is replaced with <c>[REDACTED:CATEGORY]</c> and the request goes on.</summary>
    Redact = 3,

    /// <summary>The request is refused (a stream ends with <c>content_filter</c>).</summary>
    Block = 4,
}
