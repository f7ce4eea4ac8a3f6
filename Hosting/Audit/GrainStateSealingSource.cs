using Microsoft.Extensions.DependencyInjection;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting.Audit;

/// <summary>Where a silo's grain-state seal comes from: the audit signing key, and a marker directory outside the database.</summary>
public static class GrainStateSealingSource
{
    /// <summary>
    /// The seal key is derived from the audit signing key (never in the database). The marker that
    /// closes the upgrade window lives in the audit key directory all-in-one (beside the data
    /// directory, never inside it) and in the checkpoint directory in a cluster: the one directory
    /// every silo shares that the database's administrators cannot write (docs/audit.md), so one
    /// silo's upgrade closes the window for all, and a silo with keys from settings has it too.
    /// </summary>
    public static GrainStateSealing For(IServiceProvider services, string dataDirectory, bool clustered)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<AuditOptions>();
        var keys = services.GetRequiredService<AuditKeys>();
        var markerDirectory = clustered
            ? AuditServiceCollectionExtensions.CheckpointDirectory(options, dataDirectory, clustered)
            : AuditKeyLoader.KeyDirectory(options, dataDirectory);
        return new GrainStateSealing(keys.DeriveSealKey(GrainStateSealing.KeyPurpose), markerDirectory);
    }
}
