using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

public static class SchemaSiloBuilderExtensions
{
    /// <summary>
    /// Installs the whole schema as the silo starts, before any provider reads from the database.
    /// Every part that owns tables calls this; the installer is registered once.
    /// </summary>
    public static ISiloBuilder AddSynapseSchema(this ISiloBuilder silo, SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddSingleton(database);
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInstallerLifecycle>());
        return silo;
    }
}
