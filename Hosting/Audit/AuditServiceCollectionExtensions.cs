using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting.Audit;

public static class AuditServiceCollectionExtensions
{
    internal const string CheckpointDirectoryRequired =
        $"Set {AuditOptions.SectionName}:CheckpointDirectory: in a cluster every silo writes the audit manifest's copy outside the database there, and every front end reads it to verify, so it must be one shared directory that the database's administrators cannot write (docs/audit.md).";

    /// <summary>
    /// A silo's audit log: the store, keys, digester, manifest, verifier, and the batch writer
    /// behind <c>IAuditGrain</c>, started with the silo (the schema is installed then).
    /// </summary>
    public static ISiloBuilder AddSynapseAudit(this ISiloBuilder silo, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddSynapseSchema(database);
        silo.Services.AddSynapseAuditStore(configuration, database, dataDirectory);
        silo.Services.TryAddSingleton<AuditBatchWriter>();
        silo.Services.TryAddSingleton<AuditLogStartCheck>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AuditWriterLifecycle>();
        return silo;
    }

    /// <summary>
    /// What reading and checking the log needs, without the writer: for a front end (admin API) in
    /// either mode. Safe to call along with <see cref="AddSynapseAudit"/>. The settings and keys
    /// are checked at start, each with one line naming the setting: keys are generated into the
    /// key directory on SQLite (all-in-one) and must be configured on PostgreSQL (a cluster shares
    /// them), as must a checkpoint directory shared by every silo and front end.
    /// </summary>
    public static IServiceCollection AddSynapseAuditStore(this IServiceCollection services, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        var clustered = database.Engine == DatabaseEngine.Postgres;
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>>(Check(dataDirectory, clustered)));
        services.AddSynapseOptions<AuditOptions>(configuration, AuditOptions.SectionName);

        // Read (and, all-in-one, generated) when first needed, after the start-up check has
        // refused a missing or malformed key with one line naming the setting.
        services.TryAddSingleton(sp => AuditKeyLoader.Load(sp.GetRequiredService<AuditOptions>(), dataDirectory, allowGenerate: !clustered, clustered, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditKeyLoader))));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(database);
        services.TryAddSingleton(_ => AuditStores.Create(database));
        services.TryAddSingleton(_ => AuditStores.CreateManifestStore(database));
        services.TryAddSingleton(sp => new AuditCheckpointDirectory(CheckpointDirectory(sp.GetRequiredService<AuditOptions>(), dataDirectory, clustered)));
        services.TryAddSingleton<AuditManifestSigner>();
        services.TryAddSingleton(sp => new AuditManifest(
            sp.GetRequiredService<IAuditManifestStore>(),
            sp.GetRequiredService<AuditCheckpointDirectory>(),
            sp.GetRequiredService<AuditManifestSigner>(),
            sp.GetRequiredService<ILogger<AuditManifest>>()));
        services.TryAddSingleton<AuditChain>();
        services.TryAddSingleton<AuditDigester>();
        services.TryAddSingleton<AuditVerifier>();
        return services;
    }

    /// <summary>
    /// The start-up check of <see cref="AuditOptions"/> for this process: keys are generated only
    /// all-in-one (SQLite), never in a cluster.
    /// </summary>
    public static IValidateOptions<AuditOptions> Check(string dataDirectory, bool clustered) =>
        new AuditOptionsStartupCheck(dataDirectory, clustered, allowGenerate: !clustered);

    /// <summary>The same check for a reader that must never generate a key (the audit command line).</summary>
    public static IValidateOptions<AuditOptions> CheckWithoutGenerating(string dataDirectory, bool clustered) =>
        new AuditOptionsStartupCheck(dataDirectory, clustered, allowGenerate: false);

    /// <summary><c>Synapse:Audit:CheckpointDirectory</c>; in all-in-one mode it defaults to the data directory's <c>audit-checkpoints</c>.</summary>
    public static string CheckpointDirectory(AuditOptions options, string dataDirectory, bool clustered)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CheckpointDirectory is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        return clustered
            ? throw new StartupConfigurationException(CheckpointDirectoryRequired)
            : Path.Combine(dataDirectory, "audit-checkpoints");
    }
}
