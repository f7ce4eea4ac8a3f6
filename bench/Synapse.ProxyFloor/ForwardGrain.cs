using Orleans.Concurrency;

namespace Synapse.ProxyFloor;

[Alias("floor.IForwardGrain")]
public interface IForwardGrain : IGrainWithStringKey
{
    /// <summary>Interleaved, as the gateway's key grain runs its requests.</summary>
    [AlwaysInterleave, Alias("Forward")]
    Task<byte[]> Forward(byte[] body);
}

public sealed class ForwardGrain(Upstream upstream) : Grain, IForwardGrain
{
    public Task<byte[]> Forward(byte[] body) => upstream.ForwardAsync(body);
}
