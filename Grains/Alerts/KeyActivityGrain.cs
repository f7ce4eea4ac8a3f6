using Microsoft.Extensions.Logging;
using Synapse.Grains.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>
/// One key's <see cref="KeyActivityTracker"/>: signals are counted in memory, a timer closes
/// finished minutes, closed minutes go on to the team's grain and alerts to the outbox. Only the
/// spike baseline is persisted (every <see cref="PersistInterval"/> and on deactivation), so a
/// restart loses at most the open minute and the DLP/off-hours windows, not the key's normal level.
/// </summary>
[GrainType("synapse.key-activity")]
internal sealed partial class KeyActivityGrain(
    [PersistentState("activity", StorageNames.Synapse)] IPersistentState<SpikeBaseline> state,
    AlertOptions options,
    BusinessCalendar calendar,
    IAlertSink sink,
    TimeProvider timeProvider,
    ILogger<KeyActivityGrain> logger) : Grain, IKeyActivityGrain
{
    internal static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(10);

    private KeyActivityTracker _tracker = null!;
    private IGrainTimer? _timer;
    private DateTimeOffset _persistedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tracker = new KeyActivityTracker(this.GetPrimaryKeyString(), options, calendar, state.State);
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

        // A minute that has ended but not been closed yet would be lost with the activation.
        await HandleAsync(_tracker.Advance(timeProvider.GetUtcNow()));
        await PersistAsync();
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
        if (now - _persistedAt >= PersistInterval)
        {
            await PersistAsync();
        }
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

        if (result.Alerts.Count > 0)
        {
            try
            {
                await sink.PublishAsync(result.Alerts, CancellationToken.None);
            }
            catch (Exception e)
            {
                Log.PublishFailed(logger, result.Alerts.Count, e);
            }
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
        [LoggerMessage(1, LogLevel.Error, "Storing {Count} key alerts in the outbox failed; they are lost")]
        public static partial void PublishFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Persisting a key's activity baseline failed")]
        public static partial void PersistFailed(ILogger logger, Exception exception);
    }
}
