namespace Synapse.Persistence.Storage;

/// <summary>The database that holds Synapse's grain state (and, for PostgreSQL, cluster membership).</summary>
public enum DatabaseEngine
{
    /// <summary>An embedded SQLite file: the all-in-one mode, one process, localhost clustering.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: the cluster mode, grain state and membership.</summary>
    Postgres,
}
