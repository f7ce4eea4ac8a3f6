using System.Globalization;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Alerts.Detection;

/// <summary>
/// One key's anomaly detection, fed with signals and the clock; no I/O and no Orleans, so tests
/// drive it minute by minute. Requests and tokens are counted in the open minute, which closes when
/// a later signal arrives or <see cref="Advance"/> passes its end. Token counts start from the
/// admission estimate and are corrected by the settled total when it arrives.
/// </summary>
public sealed class KeyActivityTracker
{
    // Estimates of requests that have not settled yet; older ones are forgotten (the request
    // failed without a settlement, or the signal was lost).
    private static readonly TimeSpan EstimateLifetime = TimeSpan.FromMinutes(15);
    private const int MaxPendingEstimates = 50_000;

    // A forgotten job calling an expired key every few seconds should page once an hour, not each time.
    private static readonly TimeSpan ExpiredUseQuietPeriod = TimeSpan.FromHours(1);

    private readonly string _keyId;
    private readonly AlertOptions _options;
    private readonly BusinessCalendar _calendar;
    private readonly Dictionary<string, (int Tokens, DateTimeOffset At)> _estimates = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset Time, IReadOnlyList<string> Categories)> _blocks = new();
    private DateTimeOffset? _minute;
    private long _requests;
    private long _tokens;
    private DateTimeOffset _blocksQuietUntil = DateTimeOffset.MinValue;
    private DateTimeOffset? _offHoursWindow;
    private int _offHoursRequests;
    private bool _offHoursAlerted;
    private DateTimeOffset _expiredUseQuietUntil = DateTimeOffset.MinValue;

    public KeyActivityTracker(string keyId, AlertOptions options, BusinessCalendar calendar, SpikeBaseline? baseline = null)
    {
        _keyId = keyId;
        _options = options;
        _calendar = calendar;
        Spikes = new SpikeDetector(options, baseline);
    }

    public SpikeDetector Spikes { get; }

    public string? TeamId { get; private set; }

    public ActivityResult Record(ActivitySignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var result = new ActivityResult();
        TeamId = signal.TeamId ?? TeamId;
        Roll(signal.Time, result);
        switch (signal.Kind)
        {
            case ActivityKind.Request:
                _requests++;
                _tokens += Math.Max(0, signal.Tokens);
                if (_estimates.Count < MaxPendingEstimates)
                {
                    _estimates[signal.RequestId] = (Math.Max(0, signal.Tokens), signal.Time);
                }

                CountOffHours(signal, result);
                break;
            case ActivityKind.TokensSettled:
                var estimate = _estimates.Remove(signal.RequestId, out var pending) ? pending.Tokens : 0;
                _tokens = Math.Max(0, _tokens + Math.Max(0, signal.Tokens) - estimate);
                break;
            case ActivityKind.DlpBlock:
                CountBlock(signal, result);
                break;
            case ActivityKind.DlpAlert:
                result.Alerts.Add(AlertEvent.Create(AlertTypes.DlpAlert, signal.Time, _keyId, TeamId, new Dictionary<string, object>
                {
                    ["requestId"] = signal.RequestId,
                    ["categories"] = Categories(signal.Categories),
                }));
                break;
            case ActivityKind.ExpiredKeyUse when signal.Time >= _expiredUseQuietUntil:
                _expiredUseQuietUntil = signal.Time + ExpiredUseQuietPeriod;
                result.Alerts.Add(AlertEvent.Create(AlertTypes.ExpiredKeyUsed, signal.Time, _keyId, TeamId, new Dictionary<string, object>
                {
                    ["requestId"] = signal.RequestId,
                    ["quietMinutes"] = (int)ExpiredUseQuietPeriod.TotalMinutes,
                }));
                break;
        }

        return result;
    }

    /// <summary>Closes the open minute once <paramref name="now"/> is past its end.</summary>
    public ActivityResult Advance(DateTimeOffset now)
    {
        var result = new ActivityResult();
        if (_minute is { } minute && minute.AddMinutes(1) <= now)
        {
            CloseMinute(result);
        }

        foreach (var stale in _estimates.Where(e => now - e.Value.At > EstimateLifetime).Select(e => e.Key).ToList())
        {
            _estimates.Remove(stale);
        }

        return result;
    }

    private void Roll(DateTimeOffset time, ActivityResult result)
    {
        var minute = ActivityTime.Minute(time);
        if (_minute is { } open && minute > open)
        {
            CloseMinute(result);
        }

        // A late signal (for a minute already closed) counts in the minute after the last closed one.
        if (_minute is null)
        {
            _minute = Spikes.Baseline.LastClosedMinute is { } last && minute <= last ? last.AddMinutes(1) : minute;
        }
    }

    private void CloseMinute(ActivityResult result)
    {
        var minute = _minute!.Value;
        if (_requests > 0 || _tokens > 0)
        {
            result.ClosedMinutes.Add(new KeyMinute(_keyId, minute, _requests, _tokens));
        }

        result.Alerts.AddRange(SpikeAlerts.From(Spikes.Close(minute, _requests, _tokens), "key", _keyId, TeamId, _options.SpikeFactor));
        _minute = null;
        _requests = 0;
        _tokens = 0;
    }

    private void CountOffHours(ActivitySignal signal, ActivityResult result)
    {
        if (_options.OffHoursRequestThreshold <= 0 || _calendar.IsBusinessTime(signal.Time))
        {
            return;
        }

        var window = ActivityTime.Floor(signal.Time, TimeSpan.FromMinutes(_options.OffHoursWindowMinutes));
        if (_offHoursWindow != window)
        {
            _offHoursWindow = window;
            _offHoursRequests = 0;
            _offHoursAlerted = false;
        }

        if (++_offHoursRequests > _options.OffHoursRequestThreshold && !_offHoursAlerted)
        {
            _offHoursAlerted = true;
            result.Alerts.Add(AlertEvent.Create(AlertTypes.OffHoursBurst, signal.Time, _keyId, TeamId, new Dictionary<string, object>
            {
                ["requests"] = (long)_offHoursRequests,
                ["threshold"] = (long)_options.OffHoursRequestThreshold,
                ["windowStart"] = window.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["windowMinutes"] = (long)_options.OffHoursWindowMinutes,
                ["businessHours"] = _options.BusinessHours,
                ["businessDays"] = _options.BusinessDays,
                ["timeZone"] = _options.TimeZone,
            }));
        }
    }

    private void CountBlock(ActivitySignal signal, ActivityResult result)
    {
        var window = TimeSpan.FromMinutes(_options.DlpBlockWindowMinutes);
        _blocks.Enqueue((signal.Time, signal.Categories));
        while (_blocks.Count > 0 && signal.Time - _blocks.Peek().Time >= window)
        {
            _blocks.Dequeue();
        }

        if (_blocks.Count < _options.DlpBlockThreshold || signal.Time < _blocksQuietUntil)
        {
            return;
        }

        result.Alerts.Add(AlertEvent.Create(AlertTypes.DlpRepeatedBlocks, signal.Time, _keyId, TeamId, new Dictionary<string, object>
        {
            ["blocks"] = (long)_blocks.Count,
            ["threshold"] = (long)_options.DlpBlockThreshold,
            ["windowMinutes"] = (long)_options.DlpBlockWindowMinutes,
            ["categories"] = Categories(_blocks.SelectMany(b => b.Categories)),
        }));
        _blocks.Clear();
        _blocksQuietUntil = signal.Time + window;
    }

    // Category names only, deduplicated and bounded: a signal cannot smuggle text into an alert.
    private static string[] Categories(IEnumerable<string> categories) =>
        categories.Where(c => c.Length is > 0 and <= 64).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(32).ToArray();
}
