using Synapse.Grains.Interfaces.Providers;
using Synapse.Routing;

using Synapse.Providers;

namespace Synapse.Grains.Providers;

/// <summary>The providers and their circuits, for the admin API.</summary>
/// <remarks>Idle workers are kept, as <see cref="Audit.AuditGrain"/>'s are (its remarks say why).</remarks>
[StatelessWorker(-1, removeIdleWorkers: false)]
[GrainType("synapse.provider-directory")]
internal sealed class ProviderDirectoryGrain(ProviderCatalog catalog, ProviderHealth health) : Grain, IProviderDirectoryGrain
{
    public Task<IReadOnlyList<ProviderDescriptor>> List() =>
        Task.FromResult<IReadOnlyList<ProviderDescriptor>>([.. catalog.Describe().Select(p => p with { Circuit = health.StateOf(p.Name) })]);
}
