using System.Buffers;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Providers.AzureOpenAi;

namespace Synapse.Grains.Providers.Anthropic;

/// <summary>What one Anthropic stream has said so far, and the buffers its chunks are written into.</summary>
internal sealed class AnthropicStreamState : IUpstreamStream, IDisposable
{
    private readonly string _providerName;

    public AnthropicStreamState(string providerName, string fallbackModel, long created, bool includeUsage)
    {
        _providerName = providerName;
        Id = "msg";
        Model = fallbackModel;
        Created = created;
        IncludeUsage = includeUsage;
        Writer = new Utf8JsonWriter(Buffer, OpenAiWire.WriterOptions);
    }

    public string Id { get; set; }

    public string Model { get; set; }

    public long Created { get; }

    public bool IncludeUsage { get; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    /// <summary><c>message_stop</c> arrived: the answer is complete.</summary>
    public bool IsComplete { get; set; }

    /// <summary>How many <c>tool_use</c> blocks have started: the next one's OpenAI tool-call index.</summary>
    public int ToolCalls { get; set; }

    /// <summary>Anthropic content-block index to OpenAI tool-call index; -1 for blocks that are not tool calls.</summary>
    public List<int> ToolIndexByBlock { get; } = [];

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    public Utf8JsonWriter Writer { get; }

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

    public ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks) =>
        AnthropicStreamTranslator.Translate(serverSentEvent.Data, this, _providerName, chunks);

    public ProviderFailure? Complete(List<byte[]> chunks) => AnthropicStreamTranslator.Complete(this, _providerName, chunks);

    public void Dispose() => Writer.Dispose();
}
