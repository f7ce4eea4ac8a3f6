using Microsoft.Extensions.Logging;
using Synapse.Alerts;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

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
    ILogger<KeyActivityGrain> logger) : ActivityGrain(state, options, sink, timeProvider, logger, "key"), IKeyActivityGrain
{
    private KeyActivityTracker _tracker = null!;

    public Task Record(ActivitySignal signal) => RecordAll([signal]);

    public async Task RecordAll(ActivitySignal[] signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (Options.Enabled)
        {
            foreach (var signal in signals)
            {
                await HandleAsync(_tracker.Record(signal));
            }
        }
    }

    protected override void StartTracking(string key, SpikeBaseline baseline) => _tracker = new KeyActivityTracker(key, Options, calendar, baseline);

    protected override Task AdvanceAsync(DateTimeOffset now) => HandleAsync(_tracker.Advance(now));

    // A minute that has ended but not been closed yet would be lost with the activation.
    protected override Task OnDeactivatingAsync() => AdvanceAsync(Clock.GetUtcNow());

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

        await Upkeep.PublishAsync(result.Alerts);
    }
}
