using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts.Detection;

/// <summary>
/// A team's usage-spike detection over the sum of its keys' closed minutes. A minute is judged
/// once TeamSettleDelay has passed after its end, so every key has had time to report it; totals
/// that arrive later are dropped.
/// </summary>
public sealed class TeamActivityTracker(string teamId, AlertOptions options, SpikeBaseline? baseline = null)
{
    private readonly SortedDictionary<DateTimeOffset, (long Requests, long Tokens)> _open = [];

    public SpikeDetector Spikes { get; } = new(options, baseline);

    /// <summary>False when the minute was already judged.</summary>
    public bool Add(KeyMinute minute)
    {
        ArgumentNullException.ThrowIfNull(minute);
        if (Spikes.Baseline.LastClosedMinute is { } last && minute.MinuteStart <= last)
        {
            return false;
        }

        var current = _open.GetValueOrDefault(minute.MinuteStart);
        _open[minute.MinuteStart] = (current.Requests + minute.Requests, current.Tokens + minute.Tokens);
        return true;
    }

    public IReadOnlyList<AlertEvent> Advance(DateTimeOffset now)
    {
        var alerts = new List<AlertEvent>();
        foreach (var (minute, totals) in _open.Where(m => m.Key.AddMinutes(1) + options.TeamSettleDelay <= now).ToList())
        {
            _open.Remove(minute);
            alerts.AddRange(SpikeAlerts.From(Spikes.Close(minute, totals.Requests, totals.Tokens), "team", null, teamId, options.SpikeFactor));
        }

        return alerts;
    }
}
