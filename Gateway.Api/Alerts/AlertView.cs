using System.Text.Json;
using Synapse.Alerts.Outbox;

namespace Synapse.Gateway.Alerts;

/// <summary>An alert as the admin API shows it, with one entry per webhook it was meant for.</summary>
public sealed record AlertView(Guid Id, string Type, DateTimeOffset OccurredAt, string? KeyId, string? TeamId, JsonElement Details, IReadOnlyList<AlertDeliveryView> Deliveries)
{
    public static AlertView From(AlertListing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var a = listing.Alert;
        using var details = JsonDocument.Parse(a.DetailsJson);
        return new AlertView(a.Id, a.Type, a.OccurredAt, a.KeyId, a.TeamId, details.RootElement.Clone(), listing.Deliveries.Select(AlertDeliveryView.From).ToList());
    }
}
