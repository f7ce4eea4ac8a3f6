
namespace Synapse.Providers.Gemini;

/// <summary>One streamed candidate (one OpenAI choice).</summary>
internal sealed class GeminiCandidateState
{
    public bool RoleSent { get; set; }

    /// <summary>Tool calls sent so far: the next one's OpenAI index.</summary>
    public int ToolCalls { get; set; }

    public bool Finished { get; set; }
}
