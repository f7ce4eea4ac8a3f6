using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// DLP for a streamed chat answer: each chunk the client receives is rebuilt from the fields the
/// gateway understands and has filtered. Each choice's content, refusal and reasoning, and each
/// tool or function call's arguments, get a <see cref="StreamingRedactor"/> of their own, which
/// holds back only what a later chunk could still turn into a match, and a choice that speaks on
/// more than one of them is also read as one text in the order it arrived (<see cref="ChoiceText"/>),
/// so a value split between two of them is found too; held-back text is released with the
/// choice's finishing chunk. Names, ids and citations arrive whole and are scanned as
/// they come. Log probabilities are held until their choice finishes and go out only when nothing
/// in that choice was redacted and their own tokens are clean, so a withheld answer can never
/// leak token by token. A <c>block</c> ends the stream: the last chunk carries the safe text
/// before the match and finish reason <c>content_filter</c>, and nothing after it is sent.
/// </summary>
public sealed class StreamingResponseFilter(DlpScanner scanner)
{
    private readonly List<DlpFinding> _wholeValueFindings = [];
    private readonly Dictionary<string, string> _scannedValues = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ChoiceState> _choices = [];
    private JsonObject? _identity;
    private DlpVerdict? _verdict;
    private int _verdictFindings;

    public bool IsBlocked { get; private set; }

    /// <summary>
    /// Whether token counts reach the client: only when it asked (<c>stream_options.include_usage</c>).
    /// The gateway always asks the provider, for settlement; some providers then put usage on a
    /// chunk that also carries a choice, which a client that did not ask must not get.
    /// </summary>
    public bool RelaysUsage { get; init; } = true;

    /// <summary>Whether a <see cref="TextDeltaChunk"/> skips the DOM; off only where tests compare the two paths.</summary>
    internal bool ReadsTextDeltasDirectly { get; init; } = true;

    /// <summary>
    /// The verdict over every finding so far. It is asked for after each chunk and findings are
    /// rare (and only ever added), so it is rebuilt only when their number has changed.
    /// </summary>
    public DlpVerdict Verdict
    {
        get
        {
            var findings = _wholeValueFindings.Count;
            foreach (var choice in _choices.Values)
            {
                findings += choice.Text.FindingCount;
            }

            if (_verdict is null || findings != _verdictFindings)
            {
                _verdict = DlpVerdict.From(_choices.Values.SelectMany(c => c.Text.Findings).Concat(_wholeValueFindings));
                _verdictFindings = findings;
            }

            return _verdict;
        }
    }

    /// <summary>The chunks to send for one upstream chunk (none once the stream is blocked).</summary>
    /// <exception cref="DlpScanException">The engine failed: the caller ends the stream.</exception>
    /// <exception cref="JsonException">The chunk is not JSON: the caller ends the stream.</exception>
    public IReadOnlyList<byte[]> Filter(byte[] chunk) => Filter(chunk, read: false, textDelta: null);

    /// <summary>
    /// As <see cref="Filter(byte[])"/>, for a caller that has already read the chunk with
    /// <see cref="TextDeltaChunk.TryRead"/> (<paramref name="textDelta"/>: what that returned), so
    /// the chunk is not read twice.
    /// </summary>
    internal IReadOnlyList<byte[]> Filter(byte[] chunk, TextDeltaChunk? textDelta) => Filter(chunk, read: true, textDelta);

    private IReadOnlyList<byte[]> Filter(byte[] chunk, bool read, TextDeltaChunk? textDelta)
    {
        if (IsBlocked)
        {
            return [];
        }

        // The first chunk takes the general path: it is the identity Complete() rebuilds from.
        if (_identity is not null && ReadsTextDeltasDirectly && (read ? textDelta : TextDeltaChunk.TryRead(chunk)) is { } text
            && !(_choices.TryGetValue(text.Index, out var known) && known.Finished))
        {
            return [FilterTextDelta(text)];
        }

        if (AnswerFields.Parse(chunk) is not JsonObject json)
        {
            throw new JsonException("A chunk is not a JSON object.");
        }

        var rebuilt = Identity(json);
        var choices = new JsonArray();
        rebuilt["choices"] = choices;
        if (json["choices"] is JsonArray given)
        {
            for (var position = 0; position < given.Count; position++)
            {
                if (given[position] is not JsonObject choice)
                {
                    continue;
                }

                var index = AnswerFields.Index(choice["index"], position);
                var state = State(index);
                if (state.Finished)
                {
                    continue;
                }

                var (delta, finish) = Choice(choice, index, state);
                var logprobs = IsBlocked || finish is null ? null : Release(index, state, delta);
                if (IsBlocked)
                {
                    return [Serialize(Blocked(rebuilt, index, delta))];
                }

                choices.Add(new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = logprobs, ["finish_reason"] = finish });
            }
        }

        if (RelaysUsage && AnswerFields.Usage(json["usage"]) is { } usage)
        {
            rebuilt["usage"] = usage;
        }

        return [Serialize(rebuilt)];
    }

    /// <summary>At the end of the upstream stream: a chunk with whatever is still held back, if any.</summary>
    public IReadOnlyList<byte[]> Complete()
    {
        if (IsBlocked || _identity is null)
        {
            return [];
        }

        var choices = new JsonArray();
        foreach (var (index, state) in _choices.Where(c => !c.Value.Finished).OrderBy(c => c.Key).ToList())
        {
            var delta = new JsonObject();
            var logprobs = Release(index, state, delta);
            if (IsBlocked)
            {
                return [Serialize(Blocked(Identity(_identity), index, delta))];
            }

            if (delta.Count > 0 || logprobs is not null)
            {
                choices.Add(new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = logprobs, ["finish_reason"] = null });
            }
        }

        if (choices.Count == 0)
        {
            return [];
        }

        var chunk = Identity(_identity);
        chunk["choices"] = choices;
        return [Serialize(chunk)];
    }

    /// <summary>The general path's steps for a <see cref="TextDeltaChunk"/>, in its order: identity, choice, texts.</summary>
    private byte[] FilterTextDelta(TextDeltaChunk chunk)
    {
        var identity = new string?[chunk.IdentityText.Length];
        for (var i = 0; i < identity.Length; i++)
        {
            identity[i] = chunk.IdentityText[i] is { } value ? WholeValue(value) : null;
        }

        State(chunk.Index);
        var texts = new string?[chunk.Texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (chunk.Texts[i] is { } text)
            {
                texts[i] = Stream(chunk.Index, TextChannel(AnswerFields.TextFields[i], chunk.Index), text);
            }
        }

        return chunk.Write(identity, texts, IsBlocked);
    }

    /// <summary>The chunk's identity fields (scanned once per distinct value) in a new chunk.</summary>
    private JsonObject Identity(JsonObject json)
    {
        _identity ??= json;
        var rebuilt = new JsonObject();
        foreach (var name in AnswerFields.ChunkIdentityFields)
        {
            switch (json[name])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    rebuilt[name] = WholeValue(v.GetValue<string>());
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    rebuilt[name] = AnswerFields.Integer(v);
                    break;
            }
        }

        rebuilt["object"] = "chat.completion.chunk";
        return rebuilt;
    }

    private (JsonObject Delta, string? Finish) Choice(JsonObject choice, int index, ChoiceState state)
    {
        var delta = new JsonObject();
        if (choice["delta"] is JsonObject given)
        {
            if (given.ContainsKey("role"))
            {
                delta["role"] = "assistant";
            }

            foreach (var field in AnswerFields.TextFields)
            {
                if (given[field] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                {
                    delta[field] = Stream(index, TextChannel(field, index), text.GetValue<string>());
                }
            }

            if (given["tool_calls"] is JsonArray calls)
            {
                var filtered = new JsonArray();
                foreach (var call in calls.OfType<JsonObject>())
                {
                    filtered.Add(ToolCall(call, index));
                }

                delta["tool_calls"] = filtered;
            }

            if (given["function_call"] is JsonObject function)
            {
                delta["function_call"] = Function(function, index, $"function:{index}");
            }

            if (given["annotations"] is JsonArray annotations)
            {
                delta["annotations"] = new JsonArray([.. annotations.OfType<JsonObject>().Select(Annotation).OfType<JsonNode>()]);
            }
        }

        if (choice["logprobs"] is JsonObject logprobs)
        {
            foreach (var field in (ReadOnlySpan<string>)["content", "refusal"])
            {
                if (logprobs[field] is JsonArray entries)
                {
                    var held = state.Logprobs[field] as JsonArray ?? [];
                    state.Logprobs[field] = held;
                    foreach (var entry in entries)
                    {
                        if (AnswerFields.LogprobEntry(entry, state.Ranks) is { } rebuilt)
                        {
                            held.Add(rebuilt);
                        }
                    }
                }
            }
        }

        var finish = AnswerFields.FinishReason(choice["finish_reason"])?.GetValue<string>();
        return (delta, finish);
    }

    private JsonObject ToolCall(JsonObject call, int choice)
    {
        var position = AnswerFields.Index(call["index"], 0);
        var rebuilt = new JsonObject { ["index"] = position };
        if (call["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String)
        {
            rebuilt["id"] = WholeValue(id.GetValue<string>());
        }

        if (call["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String)
        {
            rebuilt["type"] = type.GetValue<string>() == "custom" ? "custom" : "function";
        }

        if (call["function"] is JsonObject function)
        {
            rebuilt["function"] = Function(function, choice, $"tool:{choice}.{position}");
        }

        if (call["custom"] is JsonObject custom)
        {
            var copy = new JsonObject();
            if (custom["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
            {
                copy["name"] = WholeValue(name.GetValue<string>());
            }

            if (custom["input"] is JsonValue input && input.GetValueKind() == JsonValueKind.String)
            {
                copy["input"] = Stream(choice, $"custom:{choice}.{position}", input.GetValue<string>());
            }

            rebuilt["custom"] = copy;
        }

        return rebuilt;
    }

    private JsonObject Function(JsonObject function, int choice, string channel)
    {
        var rebuilt = new JsonObject();
        if (function["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
        {
            rebuilt["name"] = WholeValue(name.GetValue<string>());
        }

        if (function["arguments"] is JsonValue arguments && arguments.GetValueKind() == JsonValueKind.String)
        {
            rebuilt["arguments"] = Stream(choice, channel, arguments.GetValue<string>());
        }

        return rebuilt;
    }

    private JsonObject? Annotation(JsonObject annotation)
    {
        if (annotation["url_citation"] is not JsonObject citation)
        {
            return null;
        }

        var copy = new JsonObject
        {
            ["start_index"] = AnswerFields.Integer(citation["start_index"]),
            ["end_index"] = AnswerFields.Integer(citation["end_index"]),
        };
        foreach (var name in (ReadOnlySpan<string>)["url", "title"])
        {
            if (citation[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                copy[name] = WholeValue(v.GetValue<string>());
            }
        }

        return new JsonObject { ["type"] = "url_citation", ["url_citation"] = copy };
    }

    /// <summary>A choice's text field's channel; <see cref="AppendRest"/> reads this form back.</summary>
    private static string TextChannel(string field, int choice) => $"{field}:{choice}";

    /// <summary>A piece of text on its channel of a choice: what is safe to send now.</summary>
    private string Stream(int choice, string channel, string text)
    {
        var texts = State(choice).Text;
        var safe = texts.Append(channel, text);
        IsBlocked |= texts.IsBlocked;
        return safe;
    }

    /// <summary>A value that arrives whole (an id, a name, a citation): scanned once, redacted if need be.</summary>
    private string WholeValue(string value)
    {
        if (_scannedValues.TryGetValue(value, out var known))
        {
            return known;
        }

        var result = scanner.Scan(value);
        _wholeValueFindings.AddRange(result.Findings);
        IsBlocked |= result.IsBlocked;
        _scannedValues[value] = result.RedactedText;
        return result.RedactedText;
    }

    /// <summary>
    /// Releases a finishing choice's held-back text into its last delta, and returns its log
    /// probabilities when they may go out: nothing of the choice redacted, and their tokens clean.
    /// </summary>
    private JsonObject? Release(int index, ChoiceState state, JsonObject delta)
    {
        state.Finished = true;
        foreach (var (channel, rest) in state.Text.Complete())
        {
            if (rest.Length > 0)
            {
                AppendRest(delta, channel, rest);
            }
        }

        IsBlocked |= state.Text.IsBlocked;
        if (IsBlocked || state.Logprobs.Count == 0)
        {
            return null;
        }

        if (state.Text.Findings.Any(f => f.Action >= DlpAction.Redact))
        {
            return null;
        }

        foreach (var rank in AnswerFields.RankTexts(state.Ranks))
        {
            if (scanner.Scan(rank).IsModified)
            {
                return null;
            }
        }

        return state.Logprobs;
    }

    /// <summary>Puts a channel's released text where it belongs in the finishing delta.</summary>
    private static void AppendRest(JsonObject delta, string channel, string rest)
    {
        var kind = channel[..channel.IndexOf(':', StringComparison.Ordinal)];
        switch (kind)
        {
            case "tool" or "custom":
                var position = int.Parse(channel[(channel.IndexOf('.', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                var calls = delta["tool_calls"] as JsonArray ?? [];
                delta["tool_calls"] = calls;
                var call = calls.OfType<JsonObject>().FirstOrDefault(c => c["index"]?.GetValue<int>() == position);
                if (call is null)
                {
                    calls.Add(call = new JsonObject { ["index"] = position });
                }

                var field = kind == "tool" ? "function" : "custom";
                var text = kind == "tool" ? "arguments" : "input";
                var holder = call[field] as JsonObject ?? [];
                call[field] = holder;
                holder[text] = (holder[text]?.GetValue<string>() ?? string.Empty) + rest;
                break;
            case "function":
                var function = delta["function_call"] as JsonObject ?? [];
                delta["function_call"] = function;
                function["arguments"] = (function["arguments"]?.GetValue<string>() ?? string.Empty) + rest;
                break;
            default:
                delta[kind] = (delta[kind]?.GetValue<string>() ?? string.Empty) + rest;
                break;
        }
    }

    /// <summary>The last chunk of a blocked stream: the blocked choice's safe text and <c>content_filter</c>.</summary>
    private static JsonObject Blocked(JsonObject chunk, int index, JsonObject delta)
    {
        delta.Remove("tool_calls");
        delta.Remove("function_call");
        chunk["choices"] = new JsonArray(new JsonObject { ["index"] = index, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = "content_filter" });
        chunk.Remove("usage");
        return chunk;
    }

    private ChoiceState State(int index)
    {
        if (!_choices.TryGetValue(index, out var state))
        {
            _choices[index] = state = new ChoiceState(new ChoiceText(scanner));
        }

        return state;
    }

    private static byte[] Serialize(JsonObject chunk) => JsonSerializer.SerializeToUtf8Bytes(chunk);

    /// <summary>What one choice of the stream has pending.</summary>
    private sealed class ChoiceState(ChoiceText text)
    {
        public ChoiceText Text { get; } = text;

        public bool Finished { get; set; }

        public JsonObject Logprobs { get; } = [];

        public List<List<byte>> Ranks { get; } = [];
    }
}
