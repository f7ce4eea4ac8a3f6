
namespace Synapse.Alerts.Detection;

/// <summary>A closed minute whose <see cref="Metric"/> (<c>requests</c> or <c>tokens</c>) exceeded the spike rule.</summary>
public sealed record SpikeFinding(string Metric, DateTimeOffset MinuteStart, long Observed, double Baseline, long Floor);
