using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// Speaks one configured provider's wire protocol. Calls and answers are always in OpenAI's
/// format: a client for another protocol translates both ways.
/// </summary>
public interface IProviderClient
{
    /// <summary>A non-streamed call (chat completions or embeddings).</summary>
    Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken);

    /// <summary>
    /// A streamed chat completion: OpenAI chat-completion chunks, without the final
    /// <c>[DONE]</c>. A failure before the first chunk is one event with a failure; a failure
    /// later ends the sequence with a failure event.
    /// </summary>
    IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, CancellationToken cancellationToken);
}
