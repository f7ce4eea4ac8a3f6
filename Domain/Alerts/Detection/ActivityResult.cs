using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts.Detection;

/// <summary>What one step of a tracker produced: alerts to publish and closed minutes to forward to the team.</summary>
public sealed class ActivityResult
{
    public List<AlertEvent> Alerts { get; } = [];

    public List<KeyMinute> ClosedMinutes { get; } = [];

    public bool IsEmpty => Alerts.Count == 0 && ClosedMinutes.Count == 0;
}
