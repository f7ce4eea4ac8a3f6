
namespace Synapse.Alerts.Outbox;

/// <summary>The <c>state</c> of an <c>alert_outbox</c> row.</summary>
public static class OutboxStates
{
    /// <summary>Not delivered yet: never tried, or due again at <c>next_attempt_at</c>.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up after <c>MaxAttempts</c>, or the webhook is no longer configured.</summary>
    public const string Failed = "failed";
}
