using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Hosting.Health;

/// <summary>
/// A front end can reach its cluster: the Orleans client holds a gateway connection and a silo
/// answers a grain call (the provider directory, a stateless worker on the gateway silo).
/// </summary>
internal sealed class ClusterHealthCheck(ClusterConnection connection, IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsConnected)
        {
            return HealthCheckResult.Unhealthy("No silo of the cluster is connected.");
        }

        try
        {
            await grains.GetGrain<IProviderDirectoryGrain>(0).List().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"{connection.Gateways} gateways connected.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The cluster did not answer a grain call ({e.GetType().Name}).");
        }
    }
}
