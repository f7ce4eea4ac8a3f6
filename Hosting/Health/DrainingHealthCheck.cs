using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Hosting.Drain;

namespace Synapse.Hosting.Health;

/// <summary>
/// Not ready once the process has been told to stop: in its drain delay it still serves, so that
/// whoever routes here can move away first; after it, it is finishing what it holds.
/// </summary>
internal sealed class DrainingHealthCheck(DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("Stopping: send new requests elsewhere; those in flight are finishing.") : HealthCheckResult.Healthy());
}
