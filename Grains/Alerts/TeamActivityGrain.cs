using Microsoft.Extensions.Logging;
using Synapse.Grains.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>A team's <see cref="TeamActivityTracker"/>, fed by its keys' grains; persisted like <see cref="KeyActivityGrain"/>.</summary>
[GrainType("synapse.team-activity")]
internal sealed partial class TeamActivityGrain(
    [PersistentState("activity", StorageNames.Synapse)] IPersistentState<SpikeBaseline> state,
    AlertOptions options,
    IAlertSink sink,
    TimeProvider timeProvider,
    ILogger<TeamActivityGrain> logger) : Grain, ITeamActivityGrain
{
    private TeamActivityTracker _tracker = null!;
    private IGrainTimer? _timer;
    private DateTimeOffset _persistedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tracker = new TeamActivityTracker(this.GetPrimaryKeyString(), options, state.State);
        _persistedAt = timeProvider.GetUtcNow();
        if (options.Enabled)
        {
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
            {
                DueTime = options.TickInterval,
                Period = options.TickInterval,
                Interleave = false,
                KeepAlive = false,
            });
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await PersistAsync();
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
        var alerts = _tracker.Advance(now);
        if (alerts.Count > 0)
        {
            try
            {
                await sink.PublishAsync(alerts, CancellationToken.None);
            }
            catch (Exception e)
            {
                Log.PublishFailed(logger, alerts.Count, e);
            }
        }

        if (now - _persistedAt >= KeyActivityGrain.PersistInterval)
        {
            await PersistAsync();
        }
    }

    private async Task PersistAsync()
    {
        if (state.State.ObservedMinutes == 0)
        {
            return;
        }

        try
        {
            _persistedAt = timeProvider.GetUtcNow();
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            Log.PersistFailed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Storing {Count} team alerts in the outbox failed; they are lost")]
        public static partial void PublishFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Persisting a team's activity baseline failed")]
        public static partial void PersistFailed(ILogger logger, Exception exception);
    }
}
