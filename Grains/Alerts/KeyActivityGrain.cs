using Microsoft.Extensions.Logging;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

using Synapse.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>
/// One key's <see cref="KeyActivityTracker"/>: signals are counted in memory, a timer closes
/// finished minutes, closed minutes go on to the team's grain and alerts to the outbox. Only the
/// spike baseline is persisted (by <see cref="ActivityUpkeep"/>), so a
/// restart loses at most the open minute and the DLP/off-hours windows, not the key's normal level.
/// </summary>
[GrainType("synapse.key-activity")]
internal sealed class KeyActivityGrain(
    [PersistentState("activity", StorageNames.Synapse)] IPersistentState<SpikeBaseline> state,
    AlertOptions options,
    BusinessCalendar calendar,
    IAlertSink sink,
    TimeProvider timeProvider,
    ILogger<KeyActivityGrain> logger) : Grain, IKeyActivityGrain
{
    private KeyActivityTracker _tracker = null!;
    private ActivityUpkeep _upkeep = null!;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tracker = new KeyActivityTracker(this.GetPrimaryKeyString(), options, calendar, state.State);
        _upkeep = new ActivityUpkeep(state, sink, timeProvider, logger, "key");
        _timer = ActivityUpkeep.StartTicking(this, TickAsync, options);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();

        // A minute that has ended but not been closed yet would be lost with the activation.
        await HandleAsync(_tracker.Advance(timeProvider.GetUtcNow()));
        await _upkeep.PersistAsync();
    }

    public async Task Record(ActivitySignal signal)
    {
        if (options.Enabled)
        {
            await HandleAsync(_tracker.Record(signal));
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await HandleAsync(_tracker.Advance(now));
        await _upkeep.PersistIfDueAsync(now);
    }

    private async Task HandleAsync(ActivityResult result)
    {
        if (_tracker.TeamId is { } teamId)
        {
            foreach (var minute in result.ClosedMinutes)
            {
                // One-way: completes at once.
                await GrainFactory.GetGrain<ITeamActivityGrain>(teamId).RecordMinute(minute);
            }
        }

        await _upkeep.PublishAsync(result.Alerts);
    }
}
