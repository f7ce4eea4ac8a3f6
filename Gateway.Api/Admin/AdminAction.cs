namespace Synapse.Gateway.Admin;

/// <summary>
/// Endpoint metadata: this endpoint is an audited admin action. <see cref="AdminAuditFilter"/>
/// reads it. <see cref="Target"/> is what is acted on: a literal (<c>new</c>, <c>policy</c>) or
/// <c>{name}</c> for a route value; a handler may name it more precisely once known.
/// </summary>
internal sealed record AdminAction(string Name, AdminAuditMode Mode, string? Target);

internal enum AdminAuditMode
{
    /// <summary>
    /// A change: announced (<c>requested</c>) before the handler runs and refused with 503 when the
    /// log cannot take the announcement; its result is recorded afterwards.
    /// </summary>
    AnnounceFirst,

    /// <summary>
    /// Recorded after the handler only, never held back by the log: revocation (stopping a key must
    /// not wait), sign-in and sign-out.
    /// </summary>
    RecordAfter,
}

internal static class AdminActionExtensions
{
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder endpoint, string action, string? target, AdminAuditMode mode = AdminAuditMode.AnnounceFirst) =>
        endpoint.WithMetadata(new AdminAction(action, mode, target));
}
