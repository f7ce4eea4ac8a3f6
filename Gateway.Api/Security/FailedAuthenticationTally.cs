using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Failed authentications of the current audit window, counted per source. A guessed key costs a
/// counter increment, not a row: the window is written as one audit row per source
/// (<see cref="FailedAuthenticationAuditor"/>). At most <see cref="KeyAuthenticationOptions.MaxTrackedAddresses"/>
/// sources are told apart per window; the rest share <see cref="OtherSources"/>.
/// </summary>
internal sealed class FailedAuthenticationTally(IOptions<KeyAuthenticationOptions> options, TimeProvider timeProvider)
{
    /// <summary>The source that failures from addresses beyond the cap are counted under.</summary>
    public const string OtherSources = "other";

    private readonly int _maxSources = options.Value.MaxTrackedAddresses;
    private readonly Lock _gate = new();
    private Dictionary<string, FailureCounts> _counts = new(StringComparer.Ordinal);
    private DateTimeOffset _windowStart = timeProvider.GetUtcNow();

    /// <summary>The source a failure is counted (and throttled) under: itself, or <see cref="OtherSources"/> when the window is full.</summary>
    public string Admit(string source)
    {
        lock (_gate)
        {
            return _counts.ContainsKey(source) || _counts.Count < _maxSources ? source : OtherSources;
        }
    }

    public void Count(string source, FailureReason reason, bool throttled)
    {
        lock (_gate)
        {
            if (!_counts.TryGetValue(source, out var counts))
            {
                counts = new FailureCounts();
                _counts[source] = counts;
            }

            counts.Add(reason, throttled);
        }
    }

    /// <summary>Takes the window's counts and starts a new window.</summary>
    public FailureWindow Drain()
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            var window = new FailureWindow(_windowStart, now, _counts);
            _counts = new Dictionary<string, FailureCounts>(StringComparer.Ordinal);
            _windowStart = now;
            return window;
        }
    }

    /// <summary>Puts back a window that could not be written, so its counts go out with the next one.</summary>
    public void Restore(FailureWindow window)
    {
        lock (_gate)
        {
            _windowStart = window.Start < _windowStart ? window.Start : _windowStart;
            foreach (var (source, counts) in window.Counts)
            {
                var key = _counts.ContainsKey(source) || _counts.Count < _maxSources ? source : OtherSources;
                if (!_counts.TryGetValue(key, out var existing))
                {
                    existing = new FailureCounts();
                    _counts[key] = existing;
                }

                existing.Merge(counts);
            }
        }
    }
}
