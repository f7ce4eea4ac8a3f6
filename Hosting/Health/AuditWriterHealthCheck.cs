using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Audit;

namespace Synapse.Hosting.Health;

/// <summary>The silo's audit writer is running (its loop has not died): without it nothing is served.</summary>
internal sealed class AuditWriterHealthCheck(AuditBatchWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.IsRunning ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The audit writer is not running."));
}
