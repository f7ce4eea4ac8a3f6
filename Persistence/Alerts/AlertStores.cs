using Synapse.Alerts.Outbox;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Alerts;

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
