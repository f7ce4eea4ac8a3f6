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
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    TimeProvider timeProvider,
    ILogger<KeyActivityGrain> logger) : ActivityGrain(state, options, sink, timeProvider, logger, "key"), IKeyActivityGrain
{
    private KeyActivityTracker _tracker = null!;
    private bool _siloStopping;

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
    protected override Task OnDeactivatingAsync(DeactivationReason reason)
    {
        // The last silo stopping cannot place the team's grain again if it went first: the one-way
        // call would only fail, as an error in Orleans' log at every stop near a minute's end. The
        // team loses that minute either way (its grain's open minute goes with it too).
        _siloStopping = reason.ReasonCode == DeactivationReasonCode.ShuttingDown
            && !membership.CurrentSnapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress));
        return AdvanceAsync(Clock.GetUtcNow());
    }

    private async Task HandleAsync(ActivityResult result)
    {
        if (_tracker.TeamId is { } teamId && !_siloStopping)
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
