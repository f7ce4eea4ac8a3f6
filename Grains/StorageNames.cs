namespace Synapse.Grains;

/// <summary>The grain storage providers the grains persist to.</summary>
public static class StorageNames
{
    /// <summary>The database of the hosting mode: SQLite all-in-one, PostgreSQL in a cluster.</summary>
    public const string Synapse = "synapse";
}
