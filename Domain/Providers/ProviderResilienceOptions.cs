
namespace Synapse.Providers;

/// <summary>
/// How provider calls retry and when a provider is taken out of rotation, bound from
/// <c>Synapse:Resilience</c>. Retries happen only before a response has started: a stream that
/// has sent a byte to the client is never retried.
/// </summary>
public sealed class ProviderResilienceOptions
{
    public const string SectionName = "Synapse:Resilience";

    /// <summary>Retries of one provider, on 408/429/5xx and connection errors, with jittered backoff.</summary>
    public int MaxRetries { get; set; } = 2;

    public int RetryBaseDelayMilliseconds { get; set; } = 200;

    /// <summary>How long to wait for the TCP connection.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>How long one attempt may wait for the provider's response headers (its first byte).</summary>
    public int FirstByteTimeoutSeconds { get; set; } = 120;

    /// <summary>The circuit opens when at least this share of calls failed…</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>…among at least this many calls…</summary>
    public int CircuitMinimumThroughput { get; set; } = 4;

    /// <summary>…within this many seconds; it stays open this long before one trial call.</summary>
    public int CircuitSamplingSeconds { get; set; } = 30;

    public int CircuitBreakSeconds { get; set; } = 15;
}
