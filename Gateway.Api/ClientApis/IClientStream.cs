using Synapse.Gateway.OpenAi;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>One stream's translation from filtered chat chunks to the client API's events.</summary>
internal interface IClientStream
{
    void Chunk(ReadOnlySpan<byte> chunk, SseEventWriter events);

    void Finish(SseEventWriter events);

    /// <summary>Ends a stream that broke after its first byte (its status can no longer change).</summary>
    void Fail(SseEventWriter events, OpenAiError error);
}
