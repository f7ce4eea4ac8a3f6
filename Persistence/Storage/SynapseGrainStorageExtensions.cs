using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Providers;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Synapse.Alerts;

using Synapse.Persistence.Schema;

namespace Synapse.Persistence.Storage;

/// <summary>Registers Synapse's grain storage on a silo.</summary>
public static class SynapseGrainStorageExtensions
{
    // The ADO.NET provider itself, wrapped by the provider grains see under SynapseStorage.Name.
    internal const string AdoNetProviderName = "synapse-adonet";

    /// <summary>
    /// Adds ADO.NET grain storage on <paramref name="database"/> under the name
    /// <see cref="SynapseStorage.Name"/>, and makes the same provider the default grain storage.
    /// State is stored as System.Text.Json without type names, so renaming or moving a state class
    /// does not orphan what is already stored; rows are keyed by grain type, state name and grain
    /// key. Every row is sealed (<see cref="SealedGrainStorage"/>) with the key
    /// <paramref name="sealing"/> gives, and the first start seals the rows of earlier releases
    /// (<see cref="LegacyGrainStateSealer"/>). Run <see cref="SchemaInstaller.EnsureCreatedAsync"/>
    /// before the silo starts: the provider reads its queries from the database when it starts.
    /// </summary>
    /// <param name="sealing">The seal key and marker directory, resolved when storage is first used.</param>
    public static ISiloBuilder AddSynapseGrainStorage(this ISiloBuilder builder, SynapseDatabase database, Func<IServiceProvider, GrainStateSealing> sealing)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sealing);

        builder.AddSynapseSchema(database);
        builder.Services.AddAdoNetGrainStorage(AdoNetProviderName, options => options.Configure<IServiceProvider>(
            (storage, services) =>
            {
                // The options default to SQL Server's invariant whatever the connection string says.
                storage.Invariant = database.Invariant;
                storage.ConnectionString = database.ConnectionString;

                // The state itself is serialized (System.Text.Json) and sealed one level up; the
                // provider only ever stores sealed rows.
                storage.GrainStorageSerializer = new SealedRowSerializer();

                // Clearing keeps a row with a bumped version instead of deleting it, so a stale
                // writer cannot bring cleared state back.
                storage.DeleteStateOnClear = false;
            }));

        builder.Services.TryAddSingleton(sealing);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, LegacyGrainStateSealer>());
        builder.Services.AddKeyedSingleton<IGrainStorage>(
            SynapseStorage.Name,
            (services, _) => new GrainTypeScopedGrainStorage(new SealedGrainStorage(
                services.GetRequiredKeyedService<IGrainStorage>(AdoNetProviderName),
                // The silo-wide default is Newtonsoft JSON with $type names. This serializer takes
                // its settings (and Orleans' converters for grain references) from
                // SystemTextJsonGrainStorageSerializerOptions, which every silo registers.
                ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services),
                new GrainStateSeal(services.GetRequiredService<GrainStateSealing>().Key),
                services.GetRequiredService<IActivatorProvider>(),
                services.GetService<IAlertSink>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                services.GetRequiredService<ILogger<SealedGrainStorage>>())));

        // The default provider is the same instance, not a second provider on the same database.
        builder.Services.AddKeyedSingleton<IGrainStorage>(
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (services, _) => services.GetRequiredKeyedService<IGrainStorage>(SynapseStorage.Name));
        builder.Services.TryAddSingleton<IGrainStorage>(
            services => services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));

        return builder;
    }
}
