namespace Synapse.Grains.Interfaces.Providers;

/// <summary>The providers configured on the silos, for front ends that do not read that configuration.</summary>
[Alias("synapse.IProviderDirectoryGrain")]
public interface IProviderDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<ProviderDescriptor>> List();
}
