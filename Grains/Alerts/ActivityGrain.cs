using Microsoft.Extensions.Logging;
using Synapse.Alerts;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>
/// What the key and team activity grains share around their trackers: the tracker made for the
/// grain's key over its persisted spike baseline, the timer that closes finished minutes, and the
/// upkeep (<see cref="ActivityUpkeep"/>) that hands alerts to the outbox and persists the baseline.
/// </summary>
internal abstract class ActivityGrain(IPersistentState<SpikeBaseline> state, AlertOptions options, IAlertSink sink, TimeProvider timeProvider, ILogger logger, string scope) : Grain
{
    private IGrainTimer? _timer;

    protected AlertOptions Options => options;

    protected TimeProvider Clock => timeProvider;

    protected ActivityUpkeep Upkeep { get; private set; } = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StartTracking(this.GetPrimaryKeyString(), state.State);
        Upkeep = new ActivityUpkeep(state, sink, timeProvider, logger, scope);
        _timer = ActivityUpkeep.StartTicking(this, TickAsync, options);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await OnDeactivatingAsync(reason);
        await Upkeep.PersistAsync();
    }

    /// <summary>Makes the tracker of <paramref name="key"/>, continuing from <paramref name="baseline"/>.</summary>
    protected abstract void StartTracking(string key, SpikeBaseline baseline);

    /// <summary>Closes what has ended by <paramref name="now"/> and passes on what that raised.</summary>
    protected abstract Task AdvanceAsync(DateTimeOffset now);

    /// <summary>The last work before the activation goes (its baseline is persisted next).</summary>
    protected virtual Task OnDeactivatingAsync(DeactivationReason reason) => Task.CompletedTask;

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await AdvanceAsync(now);
        await Upkeep.PersistIfDueAsync(now);
    }
}
