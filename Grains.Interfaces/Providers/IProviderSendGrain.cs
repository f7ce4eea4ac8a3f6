namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// Makes admitted, non-streamed provider calls (chat completions, embeddings): a stateless worker
/// on the caller's silo, so calls run in parallel outside any key grain's turn. Each call reports
/// its outcome back to its key grain.
/// </summary>
[Alias("synapse.IProviderSendGrain")]
public interface IProviderSendGrain : IGrainWithIntegerKey
{
    [Alias("Send")]
    Task<ProviderReply> Send(ProviderCall call);
}
