// INTERIM (not to be committed): stands in for the storage branch until it is merged.
using Orleans.Hosting;
namespace Synapse.Silo.Storage;
public static class SchemaInstaller { public static Task EnsureCreatedAsync(SynapseDatabase db, CancellationToken ct) => Task.CompletedTask; }
public static class InterimExtensions
{
    public static ISiloBuilder AddSynapseGrainStorage(this ISiloBuilder b, SynapseDatabase db) { b.AddMemoryGrainStorage(SynapseStorage.Name); return b.AddMemoryGrainStorageAsDefault(); }
    public static ISiloBuilder UseSynapseAdoNetClustering(this ISiloBuilder b, SynapseDatabase db) => throw new NotSupportedException();
    public static IClientBuilder UseSynapseAdoNetClustering(this IClientBuilder b, SynapseDatabase db) => throw new NotSupportedException();
}
