
namespace Synapse.Alerts.Outbox;

/// <summary>Where one alert stands with one webhook.</summary>
public sealed record DeliveryStatus(
    string Webhook,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatus,
    string? LastError);
