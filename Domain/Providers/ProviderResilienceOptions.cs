using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

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
    [Range(0, 10, ErrorMessage = OptionsMessages.Between)]
    public int MaxRetries { get; set; } = 2;

    [Range(0, 60_000, ErrorMessage = OptionsMessages.Between)]
    public int RetryBaseDelayMilliseconds { get; set; } = 200;

    /// <summary>How long to wait for the TCP connection.</summary>
    [Range(1, 600, ErrorMessage = OptionsMessages.Between)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>How long one attempt may wait for the provider's response headers (its first byte).</summary>
    [Range(1, 86_400, ErrorMessage = OptionsMessages.Between)]
    public int FirstByteTimeoutSeconds { get; set; } = 120;

    /// <summary>The circuit opens when at least this share of calls failed…</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "must be more than 0 and at most 1.")]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>…among at least this many calls…</summary>
    [Range(1, 1_000_000, ErrorMessage = OptionsMessages.Between)]
    public int CircuitMinimumThroughput { get; set; } = 4;

    /// <summary>…within this many seconds; it stays open this long before one trial call.</summary>
    [Range(1, 86_400, ErrorMessage = OptionsMessages.Between)]
    public int CircuitSamplingSeconds { get; set; } = 30;

    [Range(1, 86_400, ErrorMessage = OptionsMessages.Between)]
    public int CircuitBreakSeconds { get; set; } = 15;
}
