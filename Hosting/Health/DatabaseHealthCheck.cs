using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting.Health;

/// <summary>The database answers a trivial query (PostgreSQL or the SQLite file).</summary>
internal sealed class DatabaseHealthCheck(SynapseDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: a driver's message can name hosts and users.
            return HealthCheckResult.Unhealthy($"The {database.Engine} database did not answer ({e.GetType().Name}).");
        }
    }
}
