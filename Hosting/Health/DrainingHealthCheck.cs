using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Hosting.Drain;

namespace Synapse.Hosting.Health;

/// <summary>Not ready once the process has been told to stop: it is finishing what it holds.</summary>
internal sealed class DrainingHealthCheck(DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("Stopping: finishing the requests in flight.") : HealthCheckResult.Healthy());
}
