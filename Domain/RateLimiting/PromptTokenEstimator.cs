using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.RateLimiting;

/// <summary>
/// Estimates a request's prompt tokens before it is admitted, with OpenAI's o200k encoding for
/// every model: exact for current OpenAI models on ordinary prompts, close enough for others, and
/// always settled against the provider's reported usage afterwards.
/// </summary>
/// <remarks>
/// The estimate is linear in the input and bounded for any input. Byte-pair encoding is quadratic
/// in the length of one pre-token, and a run of text without whitespace is one pre-token (256 KiB
/// of one letter took 21 s), so runs are cut every <see cref="MaxRunLength"/> bytes before
/// they are encoded. Only the first <see cref="ExactBudget"/> bytes of a request are encoded;
/// the rest is estimated at the ratio measured on that part, never below one token per
/// <see cref="CharactersPerTokenFloor"/> characters, which over-estimates rather than under-estimates.
/// </remarks>
public sealed class PromptTokenEstimator
{
    /// <summary>UTF-8 bytes of a request that are encoded exactly; the rest is extrapolated.</summary>
    public const int ExactBudget = 16 * 1024;

    /// <summary>The longest run without whitespace, in UTF-8 bytes, that is encoded as one piece.</summary>
    public const int MaxRunLength = 32;

    /// <summary>Extrapolated text counts at least one token per this many characters.</summary>
    public const double CharactersPerTokenFloor = 4.0;

    /// <summary>OpenAI's documented framing overhead: per message (role and separators) and per reply.</summary>
    private const int TokensPerMessage = 4;
    private const int TokensPerReply = 3;

    private static readonly Lazy<O200kTokenCounter> O200k = new(O200kTokenCounter.Load);

    private readonly StringBuilder _exact = new();
    private int _exactBytes;
    private long _overflowCharacters;
    private int _framing;

    /// <summary>
    /// Loads the o200k encoding (once per process) now rather than in the
    /// first request that needs it; a host calls it off the start-up path.
    /// </summary>
    public static void LoadEncoding() => _ = O200k.Value;

    /// <summary>Counts one text exactly (with runs cut), for texts known to be short, such as a key's system prompt.</summary>
    public static int CountText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var estimator = new PromptTokenEstimator();
        estimator.Add(text);
        return estimator.Total();
    }

    /// <summary>
    /// A bound chat body: the text of every message (string content or text parts), names and
    /// tool-call arguments, every string and property name of the rest of the body (tool
    /// definitions and their schemas, a response format's schema, stop sequences, a prediction),
    /// plus OpenAI's framing. <paramref name="firstMessageTokens"/>, when given, is the already
    /// known count of the first message (the key's system prompt).
    /// </summary>
    /// <remarks>
    /// The rest of the body counts because the provider reads it into the prompt: a limit that
    /// counted messages alone let megabytes through in a tool's description.
    /// </remarks>
    public static int EstimateChat(JsonObject boundBody, int? firstMessageTokens = null)
    {
        ArgumentNullException.ThrowIfNull(boundBody);
        if (boundBody["messages"] is not JsonArray messages)
        {
            return 0;
        }

        var estimator = new PromptTokenEstimator { _framing = TokensPerReply };
        for (var i = 0; i < messages.Count; i++)
        {
            estimator._framing += TokensPerMessage;
            if (i == 0 && firstMessageTokens is { } known)
            {
                estimator._framing += known;
                continue;
            }

            if (messages[i] is JsonObject message)
            {
                estimator.AddMessage(message);
            }
        }

        foreach (var (name, value) in boundBody)
        {
            if (name is not ("messages" or "model"))
            {
                estimator.AddEveryString(value);
            }
        }

        return estimator.Total();
    }

    /// <summary>Embeddings input: a string or an array of strings (token arrays count one each).</summary>
    public static int EstimateEmbeddings(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var estimator = new PromptTokenEstimator();
        switch (body["input"])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                estimator.Add(value.GetValue<string>());
                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    if (item is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                    {
                        estimator.Add(text.GetValue<string>());
                    }
                    else
                    {
                        estimator._framing++;
                    }
                }

                break;
        }

        return estimator.Total();
    }

    private void AddMessage(JsonObject message)
    {
        switch (message["content"])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Add(value.GetValue<string>());
                break;
            case JsonArray parts:
                foreach (var part in parts)
                {
                    AddString(part?["text"]);
                }

                break;
        }

        AddString(message["name"]);
        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                AddString(call?["function"]?["name"]);
                AddString(call?["function"]?["arguments"]);
            }
        }
    }

    private void AddEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject properties:
                foreach (var (name, value) in properties)
                {
                    Add(name);
                    AddEveryString(value);
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    AddEveryString(item);
                }

                break;
            default:
                AddString(node);
                break;
        }
    }

    private void AddString(JsonNode? node)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            Add(value.GetValue<string>());
        }
    }

    /// <summary>Copies what fits of the exact budget, cutting long runs; counts the rest.</summary>
    /// <remarks>Budget and runs are measured in UTF-8 bytes, which is what the encoder works on.</remarks>
    private void Add(string text)
    {
        if (_exactBytes >= ExactBudget)
        {
            _overflowCharacters += text.Length;
            return;
        }

        if (_exact.Length > 0)
        {
            _exact.Append('\n');
        }

        var run = 0;
        var i = 0;
        for (; i < text.Length && _exactBytes < ExactBudget; i++)
        {
            var c = text[i];
            var bytes = c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
            run = char.IsWhiteSpace(c) ? 0 : run + bytes;
            if (run > MaxRunLength && !char.IsLowSurrogate(c))
            {
                _exact.Append(' ');
                run = bytes;
            }

            _exact.Append(c);
            _exactBytes += bytes;
        }

        _overflowCharacters += text.Length - i;
    }

    private int Total()
    {
        var exactCharacters = _exact.Length;
        var exactTokens = exactCharacters == 0 ? 0 : O200k.Value.Count(_exact.ToString());
        var perCharacter = Math.Max(exactCharacters == 0 ? 0 : (double)exactTokens / exactCharacters, 1 / CharactersPerTokenFloor);
        var extrapolated = (long)Math.Ceiling(_overflowCharacters * perCharacter);
        return (int)Math.Min(int.MaxValue, exactTokens + extrapolated + _framing);
    }
}
