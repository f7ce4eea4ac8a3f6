
namespace Synapse.Alerts.Outbox;

/// <summary>A claimed <c>alert_outbox</c> row with its alert; <see cref="LeaseToken"/> proves the claim when the result is written.</summary>
public sealed record OutboxItem(long Id, string Webhook, int Attempts, StoredAlert Alert, string LeaseToken);
