using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Keeps the usage rollup close to the log: every <see cref="Interval"/> it counts what has settled.
/// Every front end runs it; the rollup's own lock lets one work at a time. A failure (database
/// away, or a front end started before any silo installed the schema) is logged and tried again
/// next time — with its stack once, then one line per attempt until it works again; usage answers
/// stay correct meanwhile, only slower.
/// </summary>
internal sealed partial class UsageRollupService(UsageRollup rollup, TimeProvider timeProvider, ILogger<UsageRollupService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RollUpUntilStoppedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped, in the wait or in a rollup, as when the host's start failed after this
            // began: not a failure of its own.
        }
    }

    private async Task RollUpUntilStoppedAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        var failing = false;
        do
        {
            try
            {
                await rollup.RunAsync(stoppingToken);
                if (failing)
                {
                    Log.Recovered(logger);
                }

                failing = false;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (failing)
                {
                    Log.StillFailing(logger, e.GetType().Name, e.Message);
                }
                else
                {
                    Log.Failed(logger, e);
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Rolling up usage from the audit log failed; retrying in 30 s")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Rolling up usage from the audit log failed again ({ExceptionType}: {Reason}); retrying in 30 s")]
        public static partial void StillFailing(ILogger logger, string exceptionType, string reason);

        [LoggerMessage(3, LogLevel.Information, "Rolling up usage from the audit log works again")]
        public static partial void Recovered(ILogger logger);
    }
}
