using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Grains.Dlp.Gateway;

public sealed class DlpPolicyState
{
    public DlpPolicyDocument? Policy { get; set; }
}
