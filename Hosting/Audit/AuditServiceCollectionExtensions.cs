using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Audit;

using Synapse.Persistence.Schema;

namespace Synapse.Hosting.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// A silo's audit log: the store, keys, digester, verifier, and the batch writer behind
    /// <c>IAuditGrain</c>, started with the silo (the schema is installed then).
    /// </summary>
    public static ISiloBuilder AddSynapseAudit(this ISiloBuilder silo, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddSynapseSchema(database);
        silo.Services.AddSynapseAuditStore(configuration, database, dataDirectory);
        silo.Services.TryAddSingleton<AuditBatchWriter>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AuditWriterLifecycle>();
        return silo;
    }

    /// <summary>
    /// What reading and checking the log needs, without the writer: for a front end (admin API) in
    /// either mode. Safe to call along with <see cref="AddSynapseAudit"/>. The keys are generated into
    /// the data directory on SQLite (all-in-one) and must be configured on PostgreSQL (a cluster
    /// shares them).
    /// </summary>
    public static IServiceCollection AddSynapseAuditStore(this IServiceCollection services, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        var options = configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new();
        var checkpointDirectory = Path.GetFullPath(options.CheckpointDirectory is { Length: > 0 } configured ? configured : Path.Combine(dataDirectory, "audit-checkpoints"));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(database);
        services.TryAddSingleton(options);
        services.TryAddSingleton(_ => AuditKeyLoader.Load(configuration, dataDirectory, allowGenerate: database.Engine == DatabaseEngine.Sqlite));
        services.TryAddSingleton(_ => AuditStores.Create(database, configuration));
        services.TryAddSingleton(new AuditCheckpointLog(checkpointDirectory));
        services.TryAddSingleton<AuditCheckpointSigner>();
        services.TryAddSingleton<AuditDigester>();
        services.TryAddSingleton<AuditVerifier>();
        return services;
    }
}
