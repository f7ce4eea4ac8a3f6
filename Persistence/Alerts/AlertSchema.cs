using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Alerts;

/// <summary>Creates <c>alerts</c> and <c>alert_outbox</c> (embedded from <c>Alerts/Sql/{engine}/</c>). Idempotent; silos run it as they start.</summary>
public static class AlertSchema
{
    private const long PostgresInstallLockKey = 0x53796E416C657274; // "SynAlert"

    public static async Task EnsureCreatedAsync(SynapseDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var script = Script(database.Engine);
        await SchemaTransaction.RunAsync(
            database,
            PostgresInstallLockKey,
            (connection, transaction) => SchemaTransaction.ExecuteAsync(connection, transaction, script, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private static string Script(DatabaseEngine engine)
    {
        var folder = engine == DatabaseEngine.Postgres ? "PostgreSQL" : "Sqlite";
        var name = $"Synapse.Persistence.Alerts.Sql.{folder}.01-alerts.sql";
        using var stream = typeof(AlertSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
