namespace Synapse.Gateway.OpenAi;

/// <summary>
/// How long a client may take to send a <c>/v1</c> body, bound from <c>Synapse:RequestBody</c>.
/// A body that arrives too slowly is answered 408; two limits apply because each misses a
/// different attack: a minimum rate (Kestrel's) stops a body that trickles a byte at a time, the
/// total deadline stops one that trickles just above the minimum rate for hours.
/// </summary>
public sealed class RequestBodyOptions
{
    public const string SectionName = "Synapse:RequestBody";

    /// <summary>The whole body must have arrived this many seconds after the handler starts reading it.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Below this average rate (after <see cref="MinRateGraceSeconds"/>) Kestrel stops reading (server-wide).</summary>
    public int MinBytesPerSecond { get; set; } = 240;

    public int MinRateGraceSeconds { get; set; } = 5;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
