using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>One upstream stream being translated into OpenAI chunks, one server-sent event at a time.</summary>
internal interface IUpstreamStream
{
    /// <summary>The upstream has said its answer is complete; later bytes are not read.</summary>
    bool IsComplete { get; }

    /// <summary>Adds the chunks for one event; returns the failure that ends the stream, else null.</summary>
    ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks);

    /// <summary>At the end of the upstream stream: adds closing chunks, or returns the failure of a cut-off stream.</summary>
    ProviderFailure? Complete(List<byte[]> chunks);
}
