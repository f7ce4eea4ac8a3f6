using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// The parts of one filtered chat-completion chunk the other APIs' streams are built from, read
/// with <see cref="Utf8JsonReader"/>-backed <see cref="JsonDocument"/> (pooled, no node tree).
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
        if (root.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String)
        {
            Model = model.GetString();
        }

        if (root.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("finish_reason"u8, out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                FinishReason = finish.GetString();
            }

            if (choice.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                Text = StringOf(delta, "content"u8);
                Refusal = StringOf(delta, "refusal"u8);
                if (delta.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var index = call.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : 0;
                        var function = call.TryGetProperty("function"u8, out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                        ToolCalls.Add(new ChatChunkToolCall(
                            index,
                            StringOf(call, "id"u8),
                            function.ValueKind == JsonValueKind.Object ? StringOf(function, "name"u8) : null,
                            function.ValueKind == JsonValueKind.Object ? StringOf(function, "arguments"u8) : null));
                    }
                }
            }
        }

        if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            HasUsage = true;
            PromptTokens = CountOf(usage, "prompt_tokens"u8);
            CompletionTokens = CountOf(usage, "completion_tokens"u8);
            CachedTokens = usage.TryGetProperty("prompt_tokens_details"u8, out var details) && details.ValueKind == JsonValueKind.Object ? CountOf(details, "cached_tokens"u8) : 0;
        }
    }

    private static string? StringOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long CountOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
