namespace Synapse.Gateway.Security;

/// <summary>
/// A fixed window of permits per key (a client address, a key source), counted when asked and
/// needing no timer: a key's window starts with its first permit and ends <c>window</c> later.
/// </summary>
/// <remarks>
/// Written by hand in place of the BCL's partitioned fixed-window limiter, which runs a 100 ms
/// heartbeat from its construction for the life of the process, failures or not: on an idle
/// gateway every tick woke a pool thread that then spun before parking, about 2 ms of CPU per
/// second per limiter (docs/benchmarks.md, "Another host", at idle). Windows that have
/// ended are dropped whenever the table has doubled since it was last swept, so memory stays
/// proportional to the keys counted within one window, as the BCL's idle-partition removal kept it.
/// </remarks>
internal sealed class FixedWindowCounters
{
    private const int FirstSweepAt = 1024;

    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private int _sweepAt = FirstSweepAt;

    public FixedWindowCounters(int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = window;
        _time = time;
    }

    /// <summary>Keys whose window is still counted (for tests of the table's bound).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Takes one of <paramref name="key"/>'s permits; false, with the time left in its window, when none is left.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var window = Current(key, now);
            if (window.Taken >= _limit)
            {
                retryAfter = Remaining(window, now);
                return false;
            }

            _windows[key] = window with { Taken = window.Taken + 1 };
            SweepIfGrown(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>Whether <paramref name="key"/> has used up its window's permits, without taking one.</summary>
    public bool IsExhausted(string key, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var window = Current(key, now);
            if (window.Taken >= _limit)
            {
                retryAfter = Remaining(window, now);
                return true;
            }

            retryAfter = TimeSpan.Zero;
            return false;
        }
    }

    private Window Current(string key, long now) =>
        _windows.TryGetValue(key, out var window) && !HasEnded(window, now) ? window : new Window(now, 0);

    private bool HasEnded(Window window, long now) => _time.GetElapsedTime(window.StartedAt, now) >= _window;

    private TimeSpan Remaining(Window window, long now) => _window - _time.GetElapsedTime(window.StartedAt, now);

    private void SweepIfGrown(long now)
    {
        if (_windows.Count < _sweepAt)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (HasEnded(window, now))
            {
                _windows.Remove(key);
            }
        }

        _sweepAt = Math.Max(FirstSweepAt, _windows.Count * 2);
    }

    private readonly record struct Window(long StartedAt, int Taken);
}
