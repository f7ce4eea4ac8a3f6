using Microsoft.Extensions.Logging;
using Synapse.Alerts.Detection;

using Synapse.Alerts;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Grains.Alerts;

/// <summary>
/// What the key and team activity grains share around their trackers: handing alerts to the
/// outbox without letting a failing outbox stop detection, and persisting the spike baseline every
/// <see cref="PersistInterval"/> and on deactivation (so a restart keeps the normal level).
/// </summary>
internal sealed partial class ActivityUpkeep(IPersistentState<SpikeBaseline> state, IAlertSink sink, TimeProvider timeProvider, ILogger logger, string scope)
{
    public static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(10);

    private DateTimeOffset _persistedAt = timeProvider.GetUtcNow();

    /// <summary>
    /// The timer that closes finished minutes, every <see cref="AlertOptions.TickInterval"/>, on
    /// the grain's turn (never interleaved) and without keeping it active; none while alerts are off.
    /// </summary>
    public static IGrainTimer? StartTicking(IGrainBase grain, Func<CancellationToken, Task> tick, AlertOptions options) =>
        options.Enabled
            ? grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions
            {
                DueTime = options.TickInterval,
                Period = options.TickInterval,
                Interleave = false,
                KeepAlive = false,
            })
            : null;

    public async Task PublishAsync(IReadOnlyList<AlertEvent> alerts)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        try
        {
            await sink.PublishAsync(alerts, CancellationToken.None);
        }
        catch (Exception e)
        {
            Log.PublishFailed(logger, alerts.Count, scope, e);
        }
    }

    public async Task PersistIfDueAsync(DateTimeOffset now)
    {
        if (now - _persistedAt >= PersistInterval)
        {
            await PersistAsync();
        }
    }

    public async Task PersistAsync()
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
            Log.PersistFailed(logger, scope, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Storing {Count} {Scope} alerts in the outbox failed; they are lost")]
        public static partial void PublishFailed(ILogger logger, int count, string scope, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Persisting a {Scope}'s activity baseline failed")]
        public static partial void PersistFailed(ILogger logger, string scope, Exception exception);
    }
}
