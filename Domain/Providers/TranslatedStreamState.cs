using System.Buffers;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers;

/// <summary>
/// What every stream translated into OpenAI chunks keeps: the chunk identity, the usage reported
/// so far, and the one buffer each chunk is written into before it is copied out.
/// </summary>
internal abstract class TranslatedStreamState : IUpstreamStream, IDisposable
{
    protected TranslatedStreamState(string providerName, string id, string model, long created, bool includeUsage)
    {
        ProviderName = providerName;
        Id = id;
        Model = model;
        Created = created;
        IncludeUsage = includeUsage;
        Writer = new Utf8JsonWriter(Buffer, OpenAiWire.WriterOptions);
    }

    public string Id { get; set; }

    /// <summary>One event's JSON, or null when it is not JSON (the stream is malformed then).</summary>
    public static JsonDocument? ParseEvent(ReadOnlyMemory<byte> data)
    {
        try
        {
            return JsonDocument.Parse(data, OpenAiWire.DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Model { get; set; }

    public long Created { get; }

    public bool IncludeUsage { get; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    public Utf8JsonWriter Writer { get; }

    public abstract bool IsComplete { get; }

    protected string ProviderName { get; }

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

    public abstract ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks);

    public abstract ProviderFailure? Complete(List<byte[]> chunks);

    public void Dispose() => Writer.Dispose();
}
