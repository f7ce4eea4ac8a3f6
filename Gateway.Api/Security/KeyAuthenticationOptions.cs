namespace Synapse.Gateway.Security;

/// <summary>
/// How <c>/v1</c> treats presented API keys that fail, bound from <c>Synapse:KeyAuthentication</c>:
/// the key cache, the per-address throttle of failures and the window in which failures are
/// counted into one audit row per address.
/// </summary>
public sealed class KeyAuthenticationOptions
{
    public const string SectionName = "Synapse:KeyAuthentication";

    /// <summary>
    /// Failed authentications one client address may make per <see cref="FailureWindowSeconds"/>
    /// before further failures are answered 429 instead of 401; 0 turns the throttle off.
    /// </summary>
    public int FailureLimit { get; set; } = 20;

    public int FailureWindowSeconds { get; set; } = 60;

    /// <summary>Failed authentications are written as one audit row per client address per window this long.</summary>
    public int AuditWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Distinct client addresses counted per audit window; failures from addresses beyond this are
    /// counted (and throttled) together, so a spread of addresses cannot grow memory.
    /// </summary>
    public int MaxTrackedAddresses { get; set; } = 1_000;

    /// <summary>Resolved and unknown secret hashes kept in memory (a size-limited cache).</summary>
    public int CacheEntries { get; set; } = 10_000;

    public TimeSpan FailureWindow => TimeSpan.FromSeconds(FailureWindowSeconds);

    public TimeSpan AuditWindow => TimeSpan.FromSeconds(AuditWindowSeconds);
}
