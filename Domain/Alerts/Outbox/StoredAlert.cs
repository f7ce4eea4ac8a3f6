
namespace Synapse.Alerts.Outbox;

/// <summary>A row of <c>alerts</c>: the alert as stored, its details as a JSON object.</summary>
public sealed record StoredAlert(Guid Id, string Type, DateTimeOffset OccurredAt, string? KeyId, string? TeamId, string DetailsJson);
