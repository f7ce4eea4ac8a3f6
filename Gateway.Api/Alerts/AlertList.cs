namespace Synapse.Gateway.Alerts;

/// <summary>The answer of <c>GET /admin/api/alerts</c>.</summary>
public sealed record AlertList(IReadOnlyList<AlertView> Items);
