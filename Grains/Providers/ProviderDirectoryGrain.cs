using Synapse.Grains.Interfaces.Providers;
using Synapse.Routing;

using Synapse.Providers;

namespace Synapse.Grains.Providers;

[StatelessWorker]
[GrainType("synapse.provider-directory")]
internal sealed class ProviderDirectoryGrain(ProviderCatalog catalog, ProviderHealth health) : Grain, IProviderDirectoryGrain
{
    public Task<IReadOnlyList<ProviderDescriptor>> List() =>
        Task.FromResult<IReadOnlyList<ProviderDescriptor>>([.. catalog.Describe().Select(p => p with { Circuit = health.StateOf(p.Name) })]);
}
