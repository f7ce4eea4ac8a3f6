using System.Text.Json;
using static Synapse.Translation.ChatJson;

namespace Synapse.Translation;

/// <summary>
/// What the other APIs' answers are built from: the first choice of a (response-DLP-filtered)
/// <c>chat.completion</c>, read from a pooled <see cref="JsonDocument"/> (no node tree).
/// </summary>
internal sealed record ChatAnswer(string Model, string? Text, string? Refusal, IReadOnlyList<ChatToolCall> ToolCalls, string? FinishReason, long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens)
{
    public static ChatAnswer Read(ReadOnlyMemory<byte> utf8)
    {
        // Parsed in place: the answer's bytes are neither copied nor scanned twice.
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A chat completion must be an object.");
        }

        FirstChoice(root, out var choice);
        var message = ObjectOf(choice, "message"u8);
        List<ChatToolCall> calls = [];
        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_calls"u8, out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object)
                {
                    var function = ObjectOf(call, "function"u8);
                    calls.Add(new ChatToolCall(StringOf(call, "id"u8) ?? string.Empty, StringOf(function, "name"u8) ?? string.Empty, StringOf(function, "arguments"u8) ?? string.Empty));
                }
            }
        }

        var usage = ObjectOf(root, "usage"u8);
        return new ChatAnswer(
            StringOf(root, "model"u8) ?? string.Empty,
            StringOf(message, "content"u8),
            StringOf(message, "refusal"u8),
            calls,
            StringOf(choice, "finish_reason"u8),
            CountOf(usage, "prompt_tokens"u8),
            CountOf(usage, "completion_tokens"u8),
            CountOf(ObjectOf(usage, "prompt_tokens_details"u8), "cached_tokens"u8),
            CountOf(ObjectOf(usage, "completion_tokens_details"u8), "reasoning_tokens"u8));
    }
}
