
namespace Synapse.Alerts.Outbox;

/// <summary>An alert and its delivery to each webhook it was meant for.</summary>
public sealed record AlertListing(StoredAlert Alert, IReadOnlyList<DeliveryStatus> Deliveries);
