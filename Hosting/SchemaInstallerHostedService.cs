using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting;

/// <summary>
/// Creates or upgrades the database schema before Orleans starts. Registered ahead of Orleans,
/// so the host (which starts hosted services in order) finishes this first: the ADO.NET
/// providers read their SQL from the database as they start.
/// </summary>
public sealed partial class SchemaInstallerHostedService(SynapseDatabase database, ILogger<SchemaInstallerHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.Installing(logger, database.Engine);
        await SchemaInstaller.EnsureCreatedAsync(database, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ensuring the {Engine} schema is installed")]
        public static partial void Installing(ILogger logger, DatabaseEngine engine);
    }
}
