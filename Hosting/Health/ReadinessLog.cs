using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting.Health;

/// <summary>
/// One log line when the process's readiness changes, as <c>/healthz/ready</c> finds it: a Warning
/// naming the checks that fail and why, then an Information line once it is ready again. The health
/// checks' own lines (an Error for every failing check on every probe: one each few seconds from
/// every load balancer and container healthcheck while a silo joins or the database is away) are
/// left out by <see cref="LoggingDefaults"/> for that reason.
/// </summary>
internal sealed partial class ReadinessLog(ILogger<ReadinessLog> logger)
{
    private readonly Lock _lock = new();
    private bool? _last;

    public void Observe(HealthReport report)
    {
        lock (_lock)
        {
            // As the endpoint answers: 200 unless a check is unhealthy.
            var ready = report.Status != HealthStatus.Unhealthy;
            if (_last == ready)
            {
                return;
            }

            _last = ready;
            if (ready)
            {
                Log.Ready(logger);
                return;
            }

            var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).ToList();
            Log.NotReady(
                logger,
                failing.FirstOrDefault().Value.Exception,
                string.Join("; ", failing.Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Status.ToString()}")));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ready: every readiness check passes")]
        public static partial void Ready(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "Not ready: {FailingChecks}")]
        public static partial void NotReady(ILogger logger, Exception? exception, string failingChecks);
    }
}
