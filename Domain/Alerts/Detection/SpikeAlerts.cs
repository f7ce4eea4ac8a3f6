using System.Globalization;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts.Detection;

/// <summary>Turns spike findings into <c>usage_spike</c> alerts for a key or a team.</summary>
internal static class SpikeAlerts
{
    public static IEnumerable<AlertEvent> From(IEnumerable<SpikeFinding> findings, string scope, string? keyId, string? teamId, double factor) =>
        findings.Select(f => AlertEvent.Create(AlertTypes.UsageSpike, f.MinuteStart.AddMinutes(1), keyId, teamId, new Dictionary<string, object>
        {
            ["scope"] = scope,
            ["metric"] = f.Metric,
            ["minute"] = f.MinuteStart.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["observed"] = f.Observed,
            ["baseline"] = f.Baseline,
            ["factor"] = factor,
            ["floor"] = f.Floor,
        }));
}
