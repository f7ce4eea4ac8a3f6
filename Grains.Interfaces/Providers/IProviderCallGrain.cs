namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// Makes one admitted provider call (grain key: the request id). Each call has an activation
/// of its own on the caller's silo, so calls run in parallel outside any key grain's turn, and
/// a streamed answer's enumerator always finds its way back to the activation that holds it.
/// Each call reports its outcome back to its key grain.
/// </summary>
[Alias("synapse.IProviderCallGrain")]
public interface IProviderCallGrain : IGrainWithStringKey
{
    [Alias("Send")]
    Task<ProviderReply> Send(ProviderCall call);

    [Alias("Stream")]
    IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, CancellationToken cancellationToken = default);
}
