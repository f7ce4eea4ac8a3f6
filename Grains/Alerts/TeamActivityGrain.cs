using Microsoft.Extensions.Logging;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

using Synapse.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>A team's <see cref="TeamActivityTracker"/>, fed by its keys' grains; persisted by <see cref="ActivityUpkeep"/> like <see cref="KeyActivityGrain"/>.</summary>
[GrainType("synapse.team-activity")]
internal sealed class TeamActivityGrain(
    [PersistentState("activity", StorageNames.Synapse)] IPersistentState<SpikeBaseline> state,
    AlertOptions options,
    IAlertSink sink,
    TimeProvider timeProvider,
    ILogger<TeamActivityGrain> logger) : Grain, ITeamActivityGrain
{
    private TeamActivityTracker _tracker = null!;
    private ActivityUpkeep _upkeep = null!;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tracker = new TeamActivityTracker(this.GetPrimaryKeyString(), options, state.State);
        _upkeep = new ActivityUpkeep(state, sink, timeProvider, logger, "team");
        _timer = ActivityUpkeep.StartTicking(this, TickAsync, options);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await _upkeep.PersistAsync();
    }

    public Task RecordMinute(KeyMinute minute)
    {
        if (options.Enabled)
        {
            _tracker.Add(minute);
        }

        return Task.CompletedTask;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await _upkeep.PublishAsync(_tracker.Advance(now));
        await _upkeep.PersistIfDueAsync(now);
    }
}
