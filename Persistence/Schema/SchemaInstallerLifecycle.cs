using Microsoft.Extensions.Logging;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

/// <summary>
/// Runs <see cref="SchemaInstaller"/> at the very first stage of the silo's start: Orleans'
/// ADO.NET clustering and storage read their SQL from the database in later stages.
/// </summary>
internal sealed partial class SchemaInstallerLifecycle(SynapseDatabase database, ILogger<SchemaInstallerLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInstallerLifecycle), ServiceLifecycleStage.First, InstallAsync);

    private async Task InstallAsync(CancellationToken cancellationToken)
    {
        Log.Installing(logger, database.Engine);
        await SchemaInstaller.EnsureCreatedAsync(database, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ensuring the {Engine} schema is installed")]
        public static partial void Installing(ILogger logger, DatabaseEngine engine);
    }
}
