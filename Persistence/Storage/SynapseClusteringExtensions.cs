using Synapse.Persistence.Schema;

namespace Synapse.Persistence.Storage;

/// <summary>Cluster membership in PostgreSQL for the cluster hosting mode.</summary>
public static class SynapseClusteringExtensions
{
    /// <summary>
    /// Keeps the silo's cluster membership in <paramref name="database"/> (PostgreSQL only). Run
    /// <see cref="SchemaInstaller.EnsureCreatedAsync"/> first: the provider reads its queries from
    /// the database when the silo starts.
    /// </summary>
    public static ISiloBuilder UseSynapseAdoNetClustering(this ISiloBuilder builder, SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EnsurePostgres(database);

        builder.AddSynapseSchema(database);
        return builder.UseAdoNetClustering(options =>
        {
            // The invariant has no default: the options validator rejects an empty one.
            options.Invariant = database.Invariant;
            options.ConnectionString = database.ConnectionString;
        });
    }

    /// <summary>Finds the cluster's gateways through the membership in <paramref name="database"/> (PostgreSQL only).</summary>
    public static IClientBuilder UseSynapseAdoNetClustering(this IClientBuilder builder, SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        EnsurePostgres(database);

        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = database.Invariant;
            options.ConnectionString = database.ConnectionString;
        });
    }

    private static void EnsurePostgres(SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Engine != DatabaseEngine.Postgres)
        {
            throw new InvalidOperationException(
                $"ADO.NET clustering needs PostgreSQL (set ConnectionStrings:{SynapseDatabase.PostgresConnectionStringName}); " +
                $"the {database.Engine} database of the all-in-one mode uses localhost clustering instead.");
        }
    }
}
