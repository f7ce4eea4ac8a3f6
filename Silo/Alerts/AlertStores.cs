using Synapse.Grains.Alerts.Outbox;
using Synapse.Silo.Storage;

namespace Synapse.Silo.Alerts;

/// <summary>Creates the alert outbox store for a database.</summary>
public static class AlertStores
{
    public static IAlertStore Create(SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Engine == DatabaseEngine.Postgres
            ? new PostgresAlertStore(database.ConnectionString)
            : new SqliteAlertStore(database.ConnectionString);
    }
}
