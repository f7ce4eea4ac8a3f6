using Synapse.Grains.Interfaces.Requests;

namespace Synapse.RateLimiting;

/// <summary>Whether a request may start now; when not, which limit refused it and when to retry.</summary>
public readonly record struct RateDecision(bool Admitted, string? RefusedBy, TimeSpan RetryAfter, RateLimitSnapshot Snapshot);
