using Synapse.Alerts.Outbox;

namespace Synapse.Gateway.Alerts;

/// <summary>
/// One webhook's delivery of an alert. <see cref="State"/> is <c>delivered</c>, <c>pending</c> (not
/// tried yet), <c>failing</c> (tried, will be retried at <see cref="NextAttemptAt"/>) or <c>failed</c>
/// (given up); <see cref="LastStatus"/>/<see cref="LastError"/> say how the last attempt ended.
/// </summary>
public sealed record AlertDeliveryView(string Webhook, string State, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatus, string? LastError)
{
    public const string Failing = "failing";

    public static AlertDeliveryView From(DeliveryStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var state = status.State == OutboxStates.Pending && status.Attempts > 0 ? Failing : status.State;
        var pending = status.State == OutboxStates.Pending;
        return new AlertDeliveryView(status.Webhook, state, status.Attempts, pending ? status.NextAttemptAt : null, status.DeliveredAt, status.LastStatus, status.LastError);
    }
}
