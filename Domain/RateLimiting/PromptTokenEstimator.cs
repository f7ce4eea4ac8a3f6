using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace Synapse.RateLimiting;

/// <summary>
/// Estimates a request's prompt tokens before it is admitted, with OpenAI's o200k encoding for
/// every model: exact for current OpenAI models, close enough for others, and always settled
/// against the provider's reported usage afterwards.
/// </summary>
public static class PromptTokenEstimator
{
    /// <summary>OpenAI's documented framing overhead per message (role and separators).</summary>
    private const int TokensPerMessage = 4;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static int CountText(string text) => text.Length == 0 ? 0 : Encoding.Value.CountTokens(text);

    /// <summary>Counts the text of every message (string content or text parts) and tool-call arguments.</summary>
    public static int EstimateChat(JsonObject boundBody)
    {
        if (boundBody["messages"] is not JsonArray messages)
        {
            return 0;
        }

        var total = 3;
        foreach (var message in messages)
        {
            total += TokensPerMessage;
            total += message?["content"] switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => CountText(v.GetValue<string>()),
                JsonArray parts => parts.Sum(p => p?["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? CountText(t.GetValue<string>()) : 0),
                _ => 0,
            };
            if (message?["tool_calls"] is JsonArray calls)
            {
                total += calls.Sum(c => c?["function"]?["arguments"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? CountText(a.GetValue<string>()) : 0);
            }
        }

        return total;
    }

    /// <summary>Embeddings input: a string or an array of strings (token arrays count one each).</summary>
    public static int EstimateEmbeddings(JsonObject body) => body["input"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => CountText(v.GetValue<string>()),
        JsonArray items => items.Sum(i => i is JsonValue s && s.GetValueKind() == JsonValueKind.String ? CountText(s.GetValue<string>()) : 1),
        _ => 0,
    };
}
