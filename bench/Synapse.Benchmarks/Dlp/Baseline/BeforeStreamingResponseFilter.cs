using System.Text.Json;
using System.Text.Json.Nodes;

using Synapse.Dlp;

// As it was before issue 9 (commit 80e21bf), kept only as AnswerRebuildBenchmarks' baseline.
namespace Synapse.Benchmarks.Dlp.Baseline;

/// <summary>
/// DLP for a streamed chat answer. Each choice's content and each tool call's arguments get a
/// <see cref="StreamingRedactor"/> of their own, which holds back only what a later chunk could
/// still turn into a match; held-back text is released with the choice's finishing chunk. A
/// <c>block</c> ends the stream: the last chunk carries the safe text before the match and finish
/// reason <c>content_filter</c>, and nothing after it is sent.
/// </summary>
internal sealed class BeforeStreamingResponseFilter(DlpScanner scanner)
{
    private readonly Dictionary<string, StreamingRedactor> _redactors = new(StringComparer.Ordinal);
    private readonly HashSet<int> _finished = [];
    private JsonObject? _lastChunk;

    public bool IsBlocked { get; private set; }

    public DlpVerdict Verdict => DlpVerdict.From(_redactors.Values.SelectMany(r => r.Findings));

    /// <summary>The chunks to send for one upstream chunk (none once the stream is blocked).</summary>
    /// <exception cref="DlpScanException">The engine failed: the caller ends the stream.</exception>
    public IReadOnlyList<byte[]> Filter(byte[] chunk)
    {
        if (IsBlocked)
        {
            return [];
        }

        if (JsonNode.Parse(chunk) is not JsonObject json || json["choices"] is not JsonArray { Count: > 0 } choices)
        {
            return [chunk];
        }

        _lastChunk = json;
        foreach (var choice in choices.OfType<JsonObject>())
        {
            var index = choice["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
            var delta = choice["delta"] as JsonObject ?? [];
            choice["delta"] = delta;
            FilterText(delta, "content", "c" + index);
            if (delta["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls.OfType<JsonObject>())
                {
                    if (call["function"] is JsonObject function)
                    {
                        FilterText(function, "arguments", $"t{index}.{call["index"]}");
                    }
                }
            }

            if (IsBlocked)
            {
                delta.Remove("tool_calls");
                choice["finish_reason"] = "content_filter";
                json["choices"] = new JsonArray(choice.DeepClone());
                return [JsonSerializer.SerializeToUtf8Bytes(json)];
            }

            if (choice["finish_reason"] is JsonValue)
            {
                Release(index, delta);
                if (IsBlocked)
                {
                    delta.Remove("tool_calls");
                    choice["finish_reason"] = "content_filter";
                    json["choices"] = new JsonArray(choice.DeepClone());
                    return [JsonSerializer.SerializeToUtf8Bytes(json)];
                }
            }
        }

        return [JsonSerializer.SerializeToUtf8Bytes(json)];
    }

    /// <summary>At the end of the upstream stream: a chunk with whatever is still held back, if any.</summary>
    public IReadOnlyList<byte[]> Complete()
    {
        if (IsBlocked || _lastChunk is null)
        {
            return [];
        }

        var choices = new JsonArray();
        foreach (var index in _redactors.Keys.Where(k => k[0] == 'c').Select(k => int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture)).Where(i => !_finished.Contains(i)).ToList())
        {
            var delta = new JsonObject();
            Release(index, delta);
            if (delta.Count > 0)
            {
                choices.Add(new JsonObject { ["index"] = index, ["delta"] = delta, ["finish_reason"] = null });
            }
        }

        if (choices.Count == 0)
        {
            return [];
        }

        var chunk = _lastChunk.DeepClone().AsObject();
        chunk["choices"] = choices;
        chunk.Remove("usage");
        return [JsonSerializer.SerializeToUtf8Bytes(chunk)];
    }

    private void FilterText(JsonObject owner, string property, string channel)
    {
        if (owner[property] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return;
        }

        if (!_redactors.TryGetValue(channel, out var redactor))
        {
            _redactors[channel] = redactor = scanner.CreateStreamingRedactor();
        }

        owner[property] = redactor.Append(value.GetValue<string>());
        IsBlocked |= redactor.IsBlocked;
    }

    /// <summary>Releases a finishing choice's held-back text into its last delta.</summary>
    private void Release(int index, JsonObject delta)
    {
        _finished.Add(index);
        if (_redactors.TryGetValue("c" + index, out var content))
        {
            var rest = content.Complete();
            IsBlocked |= content.IsBlocked;
            if (rest.Length > 0)
            {
                delta["content"] = (delta["content"]?.GetValue<string>() ?? string.Empty) + rest;
            }
        }

        foreach (var (channel, redactor) in _redactors.Where(r => r.Key.StartsWith($"t{index}.", StringComparison.Ordinal)).ToList())
        {
            var rest = redactor.Complete();
            IsBlocked |= redactor.IsBlocked;
            if (rest.Length > 0)
            {
                var callIndex = channel[(channel.IndexOf('.', StringComparison.Ordinal) + 1)..];
                var calls = delta["tool_calls"] as JsonArray ?? [];
                delta["tool_calls"] = calls;
                calls.Add(new JsonObject { ["index"] = int.TryParse(callIndex, out var ci) ? ci : 0, ["function"] = new JsonObject { ["arguments"] = rest } });
            }
        }
    }
}
