using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Keeps the usage rollup close to the log: every <see cref="Interval"/> it counts what has settled.
/// Every front end runs it; the rollup's own lock lets one work at a time. A failure (database
/// away) is logged and tried again next time; usage answers stay correct meanwhile, only slower.
/// </summary>
internal sealed partial class UsageRollupService(UsageRollup rollup, TimeProvider timeProvider, ILogger<UsageRollupService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await rollup.RunAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.Failed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Rolling up usage from the audit log failed; retrying in 30 s")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
