using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// The parts of an answer (or chunk) that carry no model text and are rebuilt the same way in
/// whole answers and streams: usage counts, finish reasons, log probabilities. Only fields the
/// gateway knows are copied, and only as the types it expects.
/// </summary>
internal static class AnswerFields
{
    private static readonly string[] FinishReasons = ["stop", "length", "tool_calls", "content_filter", "function_call"];

    private static readonly string[] PromptDetails = ["cached_tokens", "audio_tokens"];

    private static readonly string[] CompletionDetails = ["reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"];

    /// <summary>
    /// A provider's answer, whole or a chunk, parsed as strictly as a request
    /// (<see cref="Binding.RequestJson"/>): bad JSON, a property name given twice (which two readers
    /// could see differently), bytes that are not UTF-8 or an escape that is not valid UTF-16 are
    /// all a <see cref="JsonException"/>, so the caller withholds the answer — never an error later,
    /// when a string is read, that no caller expects.
    /// </summary>
    /// <exception cref="JsonException">The answer is not JSON the gateway can read whole.</exception>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8) =>
        Binding.RequestJson.FindUndecodableText(utf8).Fault == Binding.UndecodableText.None
            ? JsonNode.Parse(utf8, documentOptions: Binding.RequestJson.DocumentOptions)
            : throw new JsonException("The answer holds text that is not valid UTF-8, or an escape that is not valid UTF-16.");

    /// <summary>The fields that name a chunk (or answer) and its model, copied in this order.</summary>
    public static readonly string[] ChunkIdentityFields = ["id", "object", "created", "model", "system_fingerprint", "service_tier"];

    /// <summary>The message fields whose text a client reads, each filtered on its own channel.</summary>
    public static readonly string[] TextFields = ["content", "refusal", "reasoning_content", "reasoning"];

    /// <summary>A finish reason OpenAI's clients know; anything else a provider invents reads as <c>stop</c>.</summary>
    public static JsonNode? FinishReason(JsonNode? reason) => reason switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && FinishReasons.Contains(v.GetValue<string>()) => v.GetValue<string>(),
        _ => "stop",
    };

    public static JsonNode? Integer(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : null;

    /// <summary>
    /// A choice's or tool call's index: an integer from 0 to int's largest, else
    /// <paramref name="otherwise"/> (its place). A larger one was cast: 4111111111111111 went out
    /// as -1519849017, a card's digits in another form.
    /// </summary>
    public static int Index(JsonNode? node, int otherwise) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n is >= 0 and <= int.MaxValue ? (int)n : otherwise;

    /// <summary>A token count: an integer that is not negative (a provider's -5 is not relayed as one).</summary>
    private static JsonNode? Count(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= 0 ? n : null;

    /// <summary>Token counts only: the numbers OpenAI's usage object and its two detail objects hold.</summary>
    public static JsonObject? Usage(JsonNode? node)
    {
        if (node is not JsonObject usage)
        {
            return null;
        }

        var rebuilt = new JsonObject();
        foreach (var name in (ReadOnlySpan<string>)["prompt_tokens", "completion_tokens", "total_tokens"])
        {
            if (Count(usage[name]) is { } count)
            {
                rebuilt[name] = count;
            }
        }

        AddDetails(usage, rebuilt, "prompt_tokens_details", PromptDetails);
        AddDetails(usage, rebuilt, "completion_tokens_details", CompletionDetails);
        return rebuilt;
    }

    /// <summary>
    /// One log-probability entry as OpenAI shapes it (<c>token</c>, <c>logprob</c>, <c>bytes</c>,
    /// <c>top_logprobs</c>), and the text of each rank added to <paramref name="ranks"/>: rank 0 is
    /// the chosen tokens, rank k the k-th alternatives. A token's bytes count when given (tokens
    /// can split a character), else its text.
    /// </summary>
    public static JsonObject? LogprobEntry(JsonNode? node, List<List<byte>> ranks)
    {
        if (node is not JsonObject entry || !TryToken(entry, ranks, 0, out var rebuilt))
        {
            return null;
        }

        var alternatives = new JsonArray();
        if (entry["top_logprobs"] is JsonArray top)
        {
            for (var k = 0; k < top.Count; k++)
            {
                if (top[k] is JsonObject alternative && TryToken(alternative, ranks, k + 1, out var rebuiltAlternative))
                {
                    alternatives.Add(rebuiltAlternative);
                }
            }
        }

        rebuilt["top_logprobs"] = alternatives;
        return rebuilt;
    }

    /// <summary>The texts of every rank (its bytes, its token strings), for the scan that decides whether log probabilities may go out.</summary>
    public static IEnumerable<string> RankTexts(List<List<byte>> ranks) =>
        ranks.Select(bytes => Encoding.UTF8.GetString([.. bytes]));

    private static bool TryToken(JsonObject entry, List<List<byte>> ranks, int rank, out JsonObject rebuilt)
    {
        rebuilt = null!;
        if (entry["token"] is not JsonValue token || token.GetValueKind() != JsonValueKind.String
            || entry["logprob"] is not JsonValue logprob || logprob.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        // Two texts per rank: the tokens' bytes (a character may be split between two tokens, which
        // only the bytes join) and the token strings themselves. Both are relayed, and a provider
        // need not make them agree: bytes of "He" beside a token that spells a card number.
        while (ranks.Count <= (2 * rank) + 1)
        {
            ranks.Add([]);
        }

        var text = token.GetValue<string>();
        rebuilt = new JsonObject { ["token"] = text, ["logprob"] = logprob.GetValue<double>() };
        if (entry["bytes"] is JsonArray bytes && bytes.All(b => b is JsonValue v && v.TryGetValue<int>(out var n) && n is >= 0 and <= 255))
        {
            var values = bytes.Select(b => (byte)b!.GetValue<int>()).ToArray();
            ranks[2 * rank].AddRange(values);
            ranks[(2 * rank) + 1].AddRange(Encoding.UTF8.GetBytes(text));
            rebuilt["bytes"] = new JsonArray([.. values.Select(b => (JsonNode)(int)b)]);
        }
        else
        {
            ranks[2 * rank].AddRange(Encoding.UTF8.GetBytes(text));
            rebuilt["bytes"] = null;
        }

        return true;
    }

    private static void AddDetails(JsonObject usage, JsonObject rebuilt, string name, string[] fields)
    {
        if (usage[name] is not JsonObject details)
        {
            return;
        }

        var copy = new JsonObject();
        foreach (var field in fields)
        {
            if (Count(details[field]) is { } count)
            {
                copy[field] = count;
            }
        }

        rebuilt[name] = copy;
    }
}
