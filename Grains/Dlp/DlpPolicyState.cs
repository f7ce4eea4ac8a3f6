using Synapse.Grains.Interfaces.Dlp;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Grains.Dlp;

public sealed class DlpPolicyState
{
    public DlpPolicyDocument? Policy { get; set; }
}
