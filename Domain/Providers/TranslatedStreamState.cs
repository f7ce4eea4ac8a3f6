using System.Buffers;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers;

/// <summary>
/// What every stream translated into OpenAI chunks keeps and does: the chunk identity, the usage
/// reported so far, the one buffer each chunk is written into before it is copied out; each event
/// parsed once (anything but a JSON object ends the stream as malformed) and handed to the
/// provider's translator, and the end of the stream checked and closed with the usage chunk.
/// </summary>
internal abstract class TranslatedStreamState(string id, string model, long created, bool includeUsage) : IUpstreamStream, IDisposable
{
    public string Id { get; set; } = id;

    public string Model { get; set; } = model;

    public long Created => created;

    public bool IncludeUsage => includeUsage;

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    /// <summary>The writer of every chunk, pointed at <see cref="Buffer"/> anew by <see cref="StartChunk"/>.</summary>
    public Utf8JsonWriter Writer { get; } = new(Stream.Null, OpenAiWire.WriterOptions);

    public abstract bool IsComplete { get; }

    public ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks) => Translate(serverSentEvent.Data, chunks);

    /// <summary>Adds the chunks for one event's data; returns the failure that ends the stream, else null.</summary>
    public ProviderFailure? Translate(ReadOnlyMemory<byte> data, List<byte[]> chunks)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data, OpenAiWire.DocumentOptions);
        }
        catch (JsonException)
        {
            return UpstreamFailures.Malformed;
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object ? TranslateEvent(document.RootElement, chunks) : UpstreamFailures.Malformed;
        }
    }

    /// <summary>
    /// Called when the upstream stream ends: the failure when the provider never said its answer was
    /// complete, else the usage chunk when the client asked for it.
    /// </summary>
    public ProviderFailure? Complete(List<byte[]> chunks)
    {
        if (!IsComplete)
        {
            return UpstreamFailures.Truncated;
        }

        if (IncludeUsage)
        {
            var writer = StartChunk();
            OpenAiWire.WriteUsageChunk(writer, Id, Created, Model, PromptTokens, CompletionTokens, CachedTokens);
            chunks.Add(EndChunk());
        }

        return null;
    }

    /// <summary>
    /// An error the provider sent inside the stream, by its type (never its message); the
    /// provider's own names for a rate limit and a timeout keep their meaning.
    /// </summary>
    public static ProviderFailure InStream(string? errorType, string rateLimitedType, string timeoutType) =>
        UpstreamFailures.InStream(errorType, errorType == rateLimitedType ? UpstreamFailures.UpstreamRateLimited
            : errorType == timeoutType ? UpstreamFailures.UpstreamTimeout
            : UpstreamFailures.UpstreamError);

    /// <summary>Clears the buffer and returns the writer, ready for the next chunk.</summary>
    public Utf8JsonWriter StartChunk()
    {
        Buffer.ResetWrittenCount();
        Writer.Reset(Buffer);
        return Writer;
    }

    /// <summary>The chunk just written.</summary>
    public byte[] EndChunk()
    {
        Writer.Flush();
        return OpenAiWire.ToArray(Buffer);
    }

    /// <summary>Opens a chunk of one choice, at <paramref name="index"/>, and returns the writer inside its <c>delta</c>.</summary>
    public Utf8JsonWriter StartDeltaChunk(int index)
    {
        var writer = StartChunk();
        OpenAiWire.WriteChunkStart(writer, Id, Created, Model);
        OpenAiWire.WriteChoiceDeltaStart(writer, index);
        return writer;
    }

    /// <summary>Closes the <c>delta</c>, the choice (with <paramref name="finishReason"/>) and the chunk, and adds it to <paramref name="chunks"/>.</summary>
    public void EndDeltaChunk(string? finishReason, List<byte[]> chunks)
    {
        OpenAiWire.WriteChoiceDeltaEnd(Writer, finishReason);
        Writer.WriteEndArray();
        Writer.WriteEndObject();
        chunks.Add(EndChunk());
    }

    public void Dispose() => Writer.Dispose();

    /// <summary>Translates one event, a JSON object, into chunks; returns the failure that ends the stream, else null.</summary>
    protected abstract ProviderFailure? TranslateEvent(JsonElement evt, List<byte[]> chunks);
}
