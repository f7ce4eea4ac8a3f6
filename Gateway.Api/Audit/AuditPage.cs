namespace Synapse.Gateway.Audit;

/// <summary>A page of events, newest first; <see cref="NextCursor"/> fetches the older ones (null on the last page).</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? NextCursor);
