using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting;

/// <summary>
/// Keeps a client-mode front end trying to reach the cluster at start-up, for up to
/// <see cref="SynapseOrleansOptions.ConnectTimeoutSeconds"/>, instead of failing on the first
/// attempt made before any silo has joined. Orleans asks it after every failed attempt.
/// </summary>
internal sealed partial class ClusterConnectionRetryFilter(SynapseOrleansOptions options, ILogger<ClusterConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _waiting = Stopwatch.StartNew();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds);
        if (_waiting.Elapsed + Pause > limit)
        {
            LogGivingUp(logger, options.ClusterId, options.ConnectTimeoutSeconds, exception.Message);
            return false;
        }

        LogWaiting(logger, options.ClusterId, exception.Message, (int)_waiting.Elapsed.TotalSeconds, options.ConnectTimeoutSeconds);
        await Task.Delay(Pause, cancellationToken);
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "No silo of cluster {ClusterId} answered yet ({Reason}); retrying (waited {Waited} s of {Limit} s)")]
    private static partial void LogWaiting(ILogger logger, string clusterId, string reason, int waited, int limit);

    [LoggerMessage(2, LogLevel.Critical, "No silo of cluster {ClusterId} answered within {Limit} s ({Reason}). Start a silo (dotnet run --project Silo) against the same ConnectionStrings:Postgres and Synapse:Orleans:ClusterId.")]
    private static partial void LogGivingUp(ILogger logger, string clusterId, int limit, string reason);
}
