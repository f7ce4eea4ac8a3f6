using Microsoft.Extensions.Logging;

namespace Synapse.Hosting;

/// <summary>
/// Tells a front end's operator when its cluster came within reach and when it went out of reach:
/// the waiting is logged by <see cref="ClusterConnectionRetryFilter"/>, and without these lines
/// its log would stop at "still trying" whether or not a silo has since answered. Only the
/// transitions to and from no silo at all are logged, not every silo joining or leaving.
/// </summary>
internal sealed partial class ClusterConnectionLog(SynapseOrleansOptions options, ILogger<ClusterConnectionLog> logger) : IClusterConnectionStatusObserver
{
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (previousNumberOfGateways == 0 && currentNumberOfGateways > 0)
        {
            LogConnected(logger, options.ClusterId, currentNumberOfGateways);
        }
        else if (previousNumberOfGateways > 0 && currentNumberOfGateways == 0)
        {
            LogLost(logger, options.ClusterId);
        }
    }

    public void NotifyClusterConnectionLost() => LogLost(logger, options.ClusterId);

    [LoggerMessage(1, LogLevel.Information, "Connected to cluster {ClusterId} through {Gateways} silo gateways")]
    private static partial void LogConnected(ILogger logger, string clusterId, int gateways);

    [LoggerMessage(2, LogLevel.Warning, "No silo of cluster {ClusterId} is reachable any more; requests get 503 until one is")]
    private static partial void LogLost(ILogger logger, string clusterId);
}
