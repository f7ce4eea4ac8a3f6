using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Routing;

namespace Synapse.Grains.Providers;

[StatelessWorker]
[GrainType("synapse.provider-directory")]
internal sealed class ProviderDirectoryGrain(ProviderCatalog catalog) : Grain, IProviderDirectoryGrain
{
    public Task<IReadOnlyList<ProviderDescriptor>> List() => Task.FromResult(catalog.Describe());
}
