namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// Makes admitted provider calls. A stateless worker on the caller's silo: calls run in
/// parallel, outside any key grain's turn, and each reports its outcome back to its key grain.
/// </summary>
[Alias("synapse.IProviderCallGrain")]
public interface IProviderCallGrain : IGrainWithIntegerKey
{
    [Alias("Send")]
    Task<ProviderReply> Send(ProviderCall call);

    [Alias("Stream")]
    IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, CancellationToken cancellationToken = default);
}
