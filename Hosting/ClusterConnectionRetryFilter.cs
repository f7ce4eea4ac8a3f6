using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting;

/// <summary>
/// Keeps a client-mode front end trying to reach the cluster at start-up instead of failing on the
/// first attempt made before any silo has joined: for as long as it takes by default, or up to
/// <see cref="SynapseOrleansOptions.ConnectTimeoutSeconds"/>. Every attempt re-reads the gateways
/// from the membership table, so silos that arrive on new addresses are found. Orleans asks it
/// after every failed attempt; it logs the first failure and then less and less often.
/// </summary>
internal sealed partial class ClusterConnectionRetryFilter(SynapseOrleansOptions options, ILogger<ClusterConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestLogGap = TimeSpan.FromSeconds(60);
    private readonly Stopwatch _waiting = Stopwatch.StartNew();
    private TimeSpan _nextLogAt = TimeSpan.Zero;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var waited = _waiting.Elapsed;
        if (options.ConnectTimeoutSeconds > 0 && waited + Pause > TimeSpan.FromSeconds(options.ConnectTimeoutSeconds))
        {
            LogGivingUp(logger, options.ClusterId, options.ConnectTimeoutSeconds, exception.Message);
            return false;
        }

        if (waited >= _nextLogAt)
        {
            LogWaiting(logger, options.ClusterId, exception.Message, (int)waited.TotalSeconds);
            var gap = TimeSpan.FromTicks(Math.Clamp(waited.Ticks, TimeSpan.FromSeconds(5).Ticks, LongestLogGap.Ticks));
            _nextLogAt = waited + gap;
        }

        await Task.Delay(Pause, cancellationToken);
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "No silo of cluster {ClusterId} answered yet ({Reason}); still trying after {Waited} s. Start a silo (dotnet run --project Silo) against the same ConnectionStrings:Postgres and Synapse:Orleans:ClusterId.")]
    private static partial void LogWaiting(ILogger logger, string clusterId, string reason, int waited);

    [LoggerMessage(2, LogLevel.Critical, "No silo of cluster {ClusterId} answered within {Limit} s ({Reason}). Start a silo (dotnet run --project Silo) against the same ConnectionStrings:Postgres and Synapse:Orleans:ClusterId.")]
    private static partial void LogGivingUp(ILogger logger, string clusterId, int limit, string reason);
}
