using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// A stream in OpenAI's own format (OpenAI, vLLM, Ollama, Azure OpenAI): its events already are
/// OpenAI chunks, so each is checked (well-formed JSON, not an error object) and passed on as it
/// is; <c>[DONE]</c> ends it.
/// </summary>
internal sealed class OpenAiChunkStream : IUpstreamStream
{
    public bool IsComplete { get; private set; }

    public ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks)
    {
        var data = serverSentEvent.Data.Span;
        if (data.SequenceEqual("[DONE]"u8))
        {
            IsComplete = true;
            return null;
        }

        switch (Inspect(data))
        {
            case Shape.Chunk:
                chunks.Add(data.ToArray());
                return null;
            case Shape.Error:
                return UpstreamFailures.InStream(OpenAiErrorBody.ErrorType(serverSentEvent.Data));
            default:
                return UpstreamFailures.Malformed;
        }
    }

    public ProviderFailure? Complete(List<byte[]> chunks) =>
        IsComplete ? null : UpstreamFailures.Truncated;

    /// <summary>Validates the whole event and looks only at its top-level property names.</summary>
    internal static Shape Inspect(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Shape.Malformed;
            }

            var shape = Shape.Chunk;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    shape = Shape.Error;
                }

                reader.Read();
                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? shape : Shape.Malformed;
        }
        catch (JsonException)
        {
            return Shape.Malformed;
        }
    }

    internal enum Shape
    {
        Malformed,
        Chunk,
        Error,
    }
}
