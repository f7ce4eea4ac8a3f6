namespace Synapse.Grains.Dlp;

/// <summary>What the gateway does when a category is found. Ordered by severity.</summary>
public enum DlpAction
{
    /// <summary>The category is not scanned at all.</summary>
    Off = 0,

    /// <summary>The text passes unchanged; the finding is reported (audit, alerting).</summary>
    Alert = 1,

    /// <summary>The match is replaced with <c>[REDACTED:CATEGORY]</c> and the request goes on.</summary>
    Redact = 2,

    /// <summary>The request is refused (a stream ends with <c>content_filter</c>).</summary>
    Block = 3,
}
