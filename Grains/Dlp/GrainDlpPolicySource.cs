using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Grains.Dlp;

/// <summary>Reads the global DLP policy from its singleton grain.</summary>
internal sealed class GrainDlpPolicySource(IGrainFactory grains) : IDlpPolicySource
{
    public Task<DlpPolicyDocument> GetAsync() => grains.GetGrain<IDlpPolicyGrain>(IDlpPolicyGrain.SingletonKey).Get();
}
