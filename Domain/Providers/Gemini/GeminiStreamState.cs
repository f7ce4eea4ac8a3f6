using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers.Gemini;

/// <summary>What one Gemini stream has said so far, and the buffers its chunks are written into.</summary>
internal sealed class GeminiStreamState : TranslatedStreamState
{
    public GeminiStreamState(string fallbackModel, string fallbackId, long created, bool includeUsage)
        : base(fallbackId, fallbackModel, created, includeUsage)
    {
    }

    /// <summary>Whether id and model were taken from the first response.</summary>
    public bool Started { get; set; }

    /// <summary>Per candidate index: what has been sent for it.</summary>
    public List<GeminiCandidateState> Candidates { get; } = [];

    /// <summary>Every candidate seen has finished (a blocked prompt counts as finished).</summary>
    public override bool IsComplete => Candidates.Count > 0 && Candidates.TrueForAll(c => c.Finished);

    public GeminiCandidateState Candidate(int index)
    {
        while (Candidates.Count <= index)
        {
            Candidates.Add(new GeminiCandidateState());
        }

        return Candidates[index];
    }

    protected override ProviderFailure? TranslateEvent(JsonElement evt, List<byte[]> chunks) => GeminiStreamTranslator.Translate(evt, this, chunks);
}
