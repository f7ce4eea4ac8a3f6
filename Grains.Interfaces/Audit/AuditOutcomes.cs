namespace Synapse.Grains.Interfaces.Audit;

/// <summary>
/// The outcome vocabulary of <see cref="AuditRecord.Outcome"/>. The column is open-ended: any
/// lower-case <c>[a-z0-9_]</c> word of at most 64 characters is stored; these are the ones the
/// gateway writes (<see cref="All"/>), and the only ones the audit API filters by.
/// </summary>
public static class AuditOutcomes
{
    public const string Allowed = "allowed";
    public const string InvalidKey = "invalid_key";
    public const string ModelNotAllowed = "model_not_allowed";
    public const string NoRoute = "no_route";
    public const string DlpBlocked = "dlp_blocked";
    public const string RateLimited = "rate_limited";
    public const string InvalidRequest = "invalid_request";
    public const string UpstreamError = "upstream_error";
    public const string ResponseFiltered = "response_filtered";

    /// <summary>A completion: the answer was delivered in full (or the stream ended normally).</summary>
    public const string Completed = "completed";

    /// <summary>A completion: the upstream stream broke before its end.</summary>
    public const string StreamBroken = "stream_broken";

    /// <summary>
    /// The front end could not reach the cluster (or lost the request in a silo that died) and
    /// answered 503 <c>service_unavailable</c>; written by the front end, with the request's id.
    /// </summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>A completion: the client went away before the answer was delivered.</summary>
    public const string ClientCancelled = "client_cancelled";

    /// <summary>
    /// A completion: the gateway was stopping and ended the answer at the end of its shutdown grace
    /// period (the client got an error event); the row has the tokens and DLP findings up to there.
    /// </summary>
    public const string ShutdownInterrupted = "shutdown_interrupted";

    /// <summary>An admin change about to be made: recorded first, so that no change is made unseen by the log.</summary>
    public const string Requested = "requested";

    /// <summary>An admin action that took effect.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>An admin action that was refused (validation, conflict, not found).</summary>
    public const string Failed = "failed";

    /// <summary>An admin credential tried from an address that must wait: one per address and window.</summary>
    public const string Throttled = "throttled";

    /// <summary>A request the front end failed on itself (an exception on its path), answered 500 (503 when the cluster was unreachable).</summary>
    public const string GatewayError = "gateway_error";

    /// <summary>Every outcome the gateway writes, in this order in messages that list them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Allowed, InvalidKey, ModelNotAllowed, NoRoute, DlpBlocked, RateLimited, InvalidRequest, UpstreamError, ResponseFiltered,
        Completed, StreamBroken, ServiceUnavailable, ClientCancelled, ShutdownInterrupted, GatewayError, Requested, Succeeded, Failed, Throttled,
    ];
}
