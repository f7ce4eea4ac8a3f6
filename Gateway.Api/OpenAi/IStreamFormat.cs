using System.IO.Pipelines;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// How a client API's stream looks on the wire, for <see cref="ServerSentEvents.RelayAsync"/>:
/// the error a refusal gets before the first byte, and the events written once the stream is open.
/// </summary>
internal interface IStreamFormat
{
    /// <summary>A refusal, while the status can still change.</summary>
    Task WriteRefusalAsync(HttpResponse response, OpenAiError error);

    /// <summary>Starts writing events into the response's buffer (the relay flushes).</summary>
    IStreamEvents Open(PipeWriter writer);
}

/// <summary>The events of one open stream.</summary>
internal interface IStreamEvents : IDisposable
{
    /// <summary>One filtered chunk of the internal Chat Completions stream.</summary>
    void Chunk(ReadOnlySpan<byte> chunk);

    /// <summary>Ends a stream that broke after its first byte (its status can no longer change).</summary>
    void Fail(OpenAiError error);

    /// <summary>Ends a stream that completed.</summary>
    void Finish();
}
