using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Dlp.Gateway;

/// <summary>Where the global DLP policy is read from (its grain, in a running gateway).</summary>
public interface IDlpPolicySource
{
    Task<DlpPolicyDocument> GetAsync();
}
