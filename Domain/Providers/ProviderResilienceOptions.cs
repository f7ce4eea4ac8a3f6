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

    /// <summary>
    /// Retries of one provider, on connection errors, timeouts, 408 and 5xx, with jittered backoff;
    /// on a 429 only when its <c>Retry-After</c> is short (<see cref="MaxRetryAfterWaitMilliseconds"/>).
    /// </summary>
    [Range(0, 10, ErrorMessage = OptionsMessages.Between)]
    public int MaxRetries { get; set; } = 2;

    [Range(0, 60_000, ErrorMessage = OptionsMessages.Between)]
    public int RetryBaseDelayMilliseconds { get; set; } = 200;

    /// <summary>
    /// The longest <c>Retry-After</c> (or <c>retry-after-ms</c>) a retry waits out. A provider asking
    /// for longer is not retried: its answer goes to the client (a 429 with that <c>Retry-After</c>),
    /// rather than holding the request open. 0: a 429 is never retried.
    /// </summary>
    [Range(0, 60_000, ErrorMessage = OptionsMessages.Between)]
    public int MaxRetryAfterWaitMilliseconds { get; set; } = 2_000;

    /// <summary>How long to wait for the TCP connection.</summary>
    [Range(1, 600, ErrorMessage = OptionsMessages.Between)]
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>How long one attempt may wait for the provider's response headers (its first byte).</summary>
    [Range(1, 86_400, ErrorMessage = OptionsMessages.Between)]
    public int FirstByteTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// The circuit opens when at least this share of calls failed… Only failures that say the
    /// provider is unwell count (<see cref="ProviderOutcomes.IsOutage"/>): a 429, 400 or 413 is about
    /// the request or its key, and counts as an answer.
    /// </summary>
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
