using System.IO.Pipelines;
using Synapse.Gateway.OpenAi;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>A client API's stream for <see cref="ServerSentEvents.RelayAsync"/>: each filtered chunk translated into its events.</summary>
internal sealed class TranslatedStreamFormat(ClientApiShape shape, IClientStream translation) : IStreamFormat
{
    public Task WriteRefusalAsync(HttpResponse response, OpenAiError error) => shape.WriteErrorAsync(response, error);

    public IStreamEvents Open(PipeWriter writer) => new Events(translation, new SseEventWriter(writer));

    private sealed class Events(IClientStream translation, SseEventWriter events) : IStreamEvents
    {
        public void Chunk(ReadOnlySpan<byte> chunk) => translation.Chunk(chunk, events);

        public void Fail(OpenAiError error) => translation.Fail(events, error);

        public void Finish() => translation.Finish(events);

        public void Dispose() => events.Dispose();
    }
}
