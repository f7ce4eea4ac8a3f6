using System.Buffers;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Providers.AzureOpenAi;

namespace Synapse.Grains.Providers.Gemini;

/// <summary>What one Gemini stream has said so far, and the buffers its chunks are written into.</summary>
internal sealed class GeminiStreamState : IUpstreamStream, IDisposable
{
    private readonly string _providerName;

    public GeminiStreamState(string providerName, string fallbackModel, string fallbackId, long created, bool includeUsage)
    {
        _providerName = providerName;
        Id = fallbackId;
        Model = fallbackModel;
        Created = created;
        IncludeUsage = includeUsage;
        Writer = new Utf8JsonWriter(Buffer, OpenAiWire.WriterOptions);
    }

    public string Id { get; set; }

    public string Model { get; set; }

    /// <summary>Whether id and model were taken from the first response.</summary>
    public bool Started { get; set; }

    public long Created { get; }

    public bool IncludeUsage { get; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    /// <summary>Per candidate index: what has been sent for it.</summary>
    public List<GeminiCandidateState> Candidates { get; } = [];

    /// <summary>Every candidate seen has finished (a blocked prompt counts as finished).</summary>
    public bool IsComplete => Candidates.Count > 0 && Candidates.TrueForAll(c => c.Finished);

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    public Utf8JsonWriter Writer { get; }

    public GeminiCandidateState Candidate(int index)
    {
        while (Candidates.Count <= index)
        {
            Candidates.Add(new GeminiCandidateState());
        }

        return Candidates[index];
    }

    public Utf8JsonWriter StartChunk()
    {
        Buffer.ResetWrittenCount();
        Writer.Reset(Buffer);
        return Writer;
    }

    public byte[] EndChunk()
    {
        Writer.Flush();
        return OpenAiWire.ToArray(Buffer);
    }

    public ProviderFailure? Translate(ServerSentEvent serverSentEvent, List<byte[]> chunks) =>
        GeminiStreamTranslator.Translate(serverSentEvent.Data, this, _providerName, chunks);

    public ProviderFailure? Complete(List<byte[]> chunks) => GeminiStreamTranslator.Complete(this, _providerName, chunks);

    public void Dispose() => Writer.Dispose();
}
