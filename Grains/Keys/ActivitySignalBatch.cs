using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Keys;

/// <summary>
/// A key's activity signals on their way to its <see cref="IKeyActivityGrain"/>: held for up to
/// <c>Synapse:Alerts:SignalBatchDelay</c> and sent as one one-way call. Two calls per request
/// (admission and settlement) were about 5 % of a request's CPU at full load (docs/benchmarks.md);
/// detection counts minutes, so a tenth of a second changes no alert. Used on its grain's turns only,
/// so it needs no locking; what is pending when the grain deactivates goes out with <see cref="Flush"/>.
/// </summary>
internal sealed class ActivitySignalBatch(IGrainBase grain, IKeyActivityGrain target, TimeSpan delay)
{
    private readonly List<ActivitySignal> _pending = [];
    private IGrainTimer? _timer;

    public void Add(ActivitySignal signal)
    {
        _pending.Add(signal);
        if (delay == TimeSpan.Zero)
        {
            Flush();
        }
        else if (_pending.Count == 1)
        {
            // Interleaving: the flush never waits behind a request's turn, and it does not await.
            _timer ??= grain.RegisterGrainTimer(
                _ =>
                {
                    Flush();
                    return Task.CompletedTask;
                },
                new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = false });
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sends what is pending (one-way: returns at once).</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var signals = _pending.ToArray();
        _pending.Clear();
        _ = target.RecordAll(signals);
    }
}
