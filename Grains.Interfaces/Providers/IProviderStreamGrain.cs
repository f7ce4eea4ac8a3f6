namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// Makes one admitted, streamed provider call (grain key: the request id), on the caller's silo
/// and outside any key grain's turn. Each call reports its outcome back to its key grain.
/// </summary>
[Alias("synapse.IProviderStreamGrain")]
public interface IProviderStreamGrain : IGrainWithStringKey
{
    [Alias("Stream")]
    IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, CancellationToken cancellationToken = default);
}
