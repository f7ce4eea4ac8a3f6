
namespace Synapse.Alerts;

/// <summary>Where the activity grains hand their alerts: the silo stores them in the outbox for delivery.</summary>
public interface IAlertSink
{
    Task PublishAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken);
}
