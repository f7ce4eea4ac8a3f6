using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Synapse.Hosting.Health;

/// <summary>This process's silo is an active member of its cluster (not joining, not shutting down).</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}."));
}
