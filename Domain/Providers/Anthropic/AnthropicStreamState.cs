using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers.Anthropic;

/// <summary>What one Anthropic stream has said so far, and the buffers its chunks are written into.</summary>
internal sealed class AnthropicStreamState : TranslatedStreamState
{
    public AnthropicStreamState(string fallbackModel, long created, bool includeUsage)
        : base("msg", fallbackModel, created, includeUsage)
    {
    }

    /// <summary><c>message_stop</c> arrived.</summary>
    public bool MessageStopped { get; set; }

    public override bool IsComplete => MessageStopped;

    /// <summary>How many <c>tool_use</c> blocks have started: the next one's OpenAI tool-call index.</summary>
    public int ToolCalls { get; set; }

    /// <summary>Anthropic content-block index to OpenAI tool-call index; -1 for blocks that are not tool calls.</summary>
    public List<int> ToolIndexByBlock { get; } = [];

    protected override ProviderFailure? TranslateEvent(JsonElement evt, List<byte[]> chunks) => AnthropicStreamTranslator.Translate(evt, this, chunks);
}
