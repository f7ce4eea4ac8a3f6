using Microsoft.Extensions.Logging;
using Synapse.Alerts;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>A team's <see cref="TeamActivityTracker"/>, fed by its keys' grains; persisted by <see cref="ActivityUpkeep"/> like <see cref="KeyActivityGrain"/>.</summary>
[GrainType("synapse.team-activity")]
internal sealed class TeamActivityGrain(
    [PersistentState("activity", StorageNames.Synapse)] IPersistentState<SpikeBaseline> state,
    AlertOptions options,
    IAlertSink sink,
    TimeProvider timeProvider,
    ILogger<TeamActivityGrain> logger) : ActivityGrain(state, options, sink, timeProvider, logger, "team"), ITeamActivityGrain
{
    private TeamActivityTracker _tracker = null!;

    public Task RecordMinute(KeyMinute minute)
    {
        if (Options.Enabled)
        {
            _tracker.Add(minute);
        }

        return Task.CompletedTask;
    }

    protected override void StartTracking(string key, SpikeBaseline baseline) => _tracker = new TeamActivityTracker(key, Options, baseline);

    protected override Task AdvanceAsync(DateTimeOffset now) => Upkeep.PublishAsync(_tracker.Advance(now));
}
