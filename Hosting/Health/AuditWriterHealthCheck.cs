using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Audit;

namespace Synapse.Hosting.Health;

/// <summary>
/// The silo's audit writer is running (its loop has not died) and its store takes appends: without
/// either nothing is served. A store that refused the last batch makes the process not ready for
/// <see cref="RefusedFor"/>; then it is ready again so that traffic tries it once more (nothing
/// else would: a process no one sends requests to never commits the batch that would clear it).
/// </summary>
internal sealed class AuditWriterHealthCheck(AuditBatchWriter writer, TimeProvider time) : IHealthCheck
{
    /// <summary>How long a refused batch keeps the process out of rotation.</summary>
    public static readonly TimeSpan RefusedFor = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!writer.IsRunning)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The audit writer is not running."));
        }

        if (writer.RefusedAt is { } refused && time.GetUtcNow() - refused < RefusedFor)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"The audit store refused a batch at {refused:O} and has committed none since: requests are refused (503 audit_unavailable)."));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
