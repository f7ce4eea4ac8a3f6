using System.Text.Json;
using Synapse.Alerts.Delivery;

namespace Synapse.Alerts.Outbox;

/// <summary>Stores alerts with one outbox row per webhook whose <c>Events</c> accept the type, then wakes the dispatcher.</summary>
public sealed class AlertOutboxSink(IAlertStore store, AlertOptions options, AlertDispatcher dispatcher, TimeProvider time) : IAlertSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        if (alerts.Count == 0)
        {
            return;
        }

        var stored = alerts.Select(a => new StoredAlert(a.Id, a.Type, a.OccurredAt, a.KeyId, a.TeamId, JsonSerializer.Serialize(a.Details, Json))).ToList();
        var targets = alerts
            .Select(a => (IReadOnlyList<string>)options.Webhooks.Where(w => w.Value.Accepts(a.Type)).Select(w => w.Key).Order(StringComparer.Ordinal).ToList())
            .ToList();
        await store.AddAsync(stored, targets, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (targets.Any(t => t.Count > 0))
        {
            dispatcher.Wake();
        }
    }
}
