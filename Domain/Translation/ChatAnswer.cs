using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Translation;

/// <summary>
/// What the other APIs' answers are built from: the first choice of a (response-DLP-filtered)
/// <c>chat.completion</c>. The gateway asks for one choice on these APIs' behalf.
/// </summary>
internal sealed record ChatAnswer(string Model, string? Text, string? Refusal, IReadOnlyList<ChatToolCall> ToolCalls, string? FinishReason, long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens)
{
    public static ChatAnswer Read(ReadOnlySpan<byte> utf8)
    {
        var root = JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("A chat completion must be an object.");
        var choice = root["choices"] is JsonArray { Count: > 0 } choices ? choices[0] as JsonObject : null;
        var message = choice?["message"] as JsonObject;
        var calls = new List<ChatToolCall>();
        if (message?["tool_calls"] is JsonArray toolCalls)
        {
            foreach (var call in toolCalls.OfType<JsonObject>())
            {
                var function = call["function"] as JsonObject;
                calls.Add(new ChatToolCall(StringOf(call["id"]) ?? string.Empty, StringOf(function?["name"]) ?? string.Empty, StringOf(function?["arguments"]) ?? string.Empty));
            }
        }

        var usage = root["usage"] as JsonObject;
        return new ChatAnswer(
            StringOf(root["model"]) ?? string.Empty,
            StringOf(message?["content"]),
            StringOf(message?["refusal"]),
            calls,
            StringOf(choice?["finish_reason"]),
            Count(usage?["prompt_tokens"]),
            Count(usage?["completion_tokens"]),
            Count(usage?["prompt_tokens_details"]?["cached_tokens"]),
            Count(usage?["completion_tokens_details"]?["reasoning_tokens"]));
    }

    internal static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    internal static long Count(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : 0;
}
