using System.Text.Json;
using static Synapse.Translation.ChatJson;

namespace Synapse.Translation;

/// <summary>
/// The parts of one filtered chat-completion chunk the other APIs' streams are built from, read
/// from a pooled <see cref="JsonDocument"/> (no node tree).
/// </summary>
internal sealed class ChatChunk
{
    public string? Model { get; private set; }

    public string? Text { get; private set; }

    public string? Refusal { get; private set; }

    public List<ChatChunkToolCall> ToolCalls { get; } = [];

    public string? FinishReason { get; private set; }

    public bool HasUsage { get; private set; }

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    public long CachedTokens { get; private set; }

    /// <summary>Reads <paramref name="utf8"/> into this instance (reused for every chunk of a stream).</summary>
    public void Read(ReadOnlySpan<byte> utf8)
    {
        Model = Text = Refusal = FinishReason = null;
        ToolCalls.Clear();
        HasUsage = false;
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        Model = StringOf(root, "model"u8);
        if (FirstChoice(root, out var choice))
        {
            FinishReason = StringOf(choice, "finish_reason"u8);
            var delta = ObjectOf(choice, "delta"u8);
            Text = StringOf(delta, "content"u8);
            Refusal = StringOf(delta, "refusal"u8);
            if (delta.ValueKind == JsonValueKind.Object && delta.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var index = call.ValueKind == JsonValueKind.Object && call.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : 0;
                    var function = ObjectOf(call, "function"u8);
                    ToolCalls.Add(new ChatChunkToolCall(index, StringOf(call, "id"u8), StringOf(function, "name"u8), StringOf(function, "arguments"u8)));
                }
            }
        }

        var usage = ObjectOf(root, "usage"u8);
        if (usage.ValueKind == JsonValueKind.Object)
        {
            HasUsage = true;
            PromptTokens = CountOf(usage, "prompt_tokens"u8);
            CompletionTokens = CountOf(usage, "completion_tokens"u8);
            CachedTokens = CountOf(ObjectOf(usage, "prompt_tokens_details"u8), "cached_tokens"u8);
        }
    }
}
