using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Builds the non-streamed chat answer a client receives from the fields the gateway understands
/// and has filtered. Every text a client can read — content (or content parts, joined), refusal,
/// reasoning, tool and function-call names, ids and arguments, annotation titles and URLs, the
/// answer's identifiers — is scanned in one batch; unknown fields are dropped; audio is dropped
/// (the gateway reads no sound). Log probabilities go out only when nothing in their choice was
/// redacted or blocked and their own tokens (each rank's text) are clean. A <c>block</c> replaces
/// every choice with <see cref="WithheldNotice"/> and finish reason <c>content_filter</c>.
/// </summary>
public static class ResponseDlp
{
    public const string WithheldNotice = "[This answer was withheld by the organisation's data policy.]";

    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    /// <exception cref="JsonException">The answer is not JSON: the caller fails closed.</exception>
    /// <exception cref="InvalidDataException">
    /// The answer is JSON but not a chat completion (no <c>choices</c> array): the provider's
    /// fault, which the caller withholds rather than serve as an answer with no choices.
    /// </exception>
    public static (byte[] Body, DlpVerdict Verdict) Apply(byte[] body, DlpScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        if (AnswerFields.Parse(body) is not JsonObject answer)
        {
            throw new JsonException("The answer is not a JSON object.");
        }

        if (answer["choices"] is not JsonArray given)
        {
            throw new InvalidDataException("The answer is not a chat completion: it has no choices.");
        }

        var slots = new List<Slot>();
        var rebuilt = new JsonObject();
        foreach (var name in AnswerFields.ChunkIdentityFields)
        {
            if (name == "created")
            {
                // A time, so a number: a string here would be text no client expects, unscanned.
                if (answer.ContainsKey(name))
                {
                    rebuilt[name] = AnswerFields.Integer(answer[name]);
                }
            }
            else
            {
                CopyScalar(answer, rebuilt, name, slots);
            }
        }

        rebuilt["object"] = "chat.completion";
        var choices = new JsonArray();
        var logprobs = new List<(JsonObject Choice, JsonObject Logprobs, List<string> Ranks, int Index)>();
        for (var position = 0; position < given.Count; position++)
        {
            if (given[position] is JsonObject choice)
            {
                choices.Add(Choice(choice, position, slots, logprobs));
            }
        }

        rebuilt["choices"] = choices;
        if (AnswerFields.Usage(answer["usage"]) is { } usage)
        {
            rebuilt["usage"] = usage;
        }

        // One scan of every text, the running text of the answer also as one concatenation, both
        // ways: a value split between the reasoning and the content, the content and a tool call's
        // arguments, or two choices (in whatever order their indexes put them) is one value to the
        // client that reads them all.
        var (verdict, rewritten, own) = SlotScan.Apply([.. slots.Select(s => new PromptSlot(s.Text, s.Write, s.Joinable))], scanner, bothWays: true);
        if (verdict.IsBlocked)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = WithheldNotice, ["refusal"] = null };
                choice["logprobs"] = null;
                choice["finish_reason"] = "content_filter";
            }

            // The answer's identifiers still go out: each with what it holds redacted, blocked
            // categories included (a key in system_fingerprint went out whole beside the notice).
            for (var i = 0; i < slots.Count; i++)
            {
                if (slots[i].Choice < 0)
                {
                    slots[i].Write(own[i].RedactedText);
                }
            }

            return (JsonSerializer.SerializeToUtf8Bytes(rebuilt), verdict);
        }

        var touched = new HashSet<int>();
        for (var i = 0; i < slots.Count; i++)
        {
            if (rewritten[i])
            {
                touched.Add(slots[i].Choice);
            }
        }

        foreach (var (choice, entries, ranks, index) in logprobs)
        {
            // Token by token, log probabilities spell the answer: they go out only with a choice
            // that went out whole, and only when their own tokens (each rank's text) are clean.
            choice["logprobs"] = touched.Contains(index) || BatchScan.ScanAll(scanner, ranks).Results.Any(r => r.IsModified) ? null : entries;
        }

        return (JsonSerializer.SerializeToUtf8Bytes(rebuilt), verdict);
    }

    private static JsonObject Choice(JsonObject choice, int position, List<Slot> slots, List<(JsonObject, JsonObject, List<string>, int)> logprobs)
    {
        var index = AnswerFields.Index(choice["index"], position);
        var message = new JsonObject { ["role"] = "assistant" };
        var rebuilt = new JsonObject { ["index"] = index, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = AnswerFields.FinishReason(choice["finish_reason"]) };
        if (choice["message"] is JsonObject givenMessage)
        {
            foreach (var field in AnswerFields.TextFields)
            {
                Text(givenMessage, message, field, index, slots);
            }

            message.TryAdd("content", null);
            message.TryAdd("refusal", null);
            if (givenMessage["tool_calls"] is JsonArray calls)
            {
                message["tool_calls"] = new JsonArray([.. calls.OfType<JsonObject>().Select(c => (JsonNode)ToolCall(c, index, slots))]);
            }

            if (givenMessage["function_call"] is JsonObject function)
            {
                message["function_call"] = Function(function, index, slots);
            }

            if (givenMessage["annotations"] is JsonArray annotations)
            {
                message["annotations"] = new JsonArray([.. annotations.OfType<JsonObject>().Select(a => Annotation(a, index, slots)).OfType<JsonNode>()]);
            }
        }

        if (choice["logprobs"] is JsonObject givenLogprobs)
        {
            var ranks = new List<List<byte>>();
            var entries = new JsonObject();
            foreach (var field in (ReadOnlySpan<string>)["content", "refusal"])
            {
                if (givenLogprobs[field] is JsonArray list)
                {
                    entries[field] = new JsonArray([.. list.Select(e => AnswerFields.LogprobEntry(e, ranks)).OfType<JsonNode>()]);
                }
            }

            logprobs.Add((rebuilt, entries, [.. AnswerFields.RankTexts(ranks)], index));
        }

        return rebuilt;
    }

    /// <summary>A text field; content given as parts is joined into one string, as OpenAI sends it.</summary>
    private static void Text(JsonObject from, JsonObject to, string field, int choice, List<Slot> slots)
    {
        var text = from[field] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null)),
            _ => null,
        };
        if (text is null)
        {
            return;
        }

        to[field] = text;
        slots.Add(new Slot(text, redacted => to[field] = redacted, choice, Joinable: true));
    }

    private static JsonObject ToolCall(JsonObject call, int choice, List<Slot> slots)
    {
        var rebuilt = new JsonObject();
        CopyScalar(call, rebuilt, "id", slots, choice);
        if (call["custom"] is JsonObject custom)
        {
            rebuilt["type"] = "custom";
            var copy = new JsonObject();
            CopyScalar(custom, copy, "name", slots, choice);
            CopyScalar(custom, copy, "input", slots, choice, joinable: true);
            rebuilt["custom"] = copy;
            return rebuilt;
        }

        rebuilt["type"] = "function";
        rebuilt["function"] = call["function"] is JsonObject function ? Function(function, choice, slots) : new JsonObject { ["name"] = string.Empty, ["arguments"] = string.Empty };
        return rebuilt;
    }

    private static JsonObject Function(JsonObject function, int choice, List<Slot> slots)
    {
        var rebuilt = new JsonObject();
        CopyScalar(function, rebuilt, "name", slots, choice);
        CopyScalar(function, rebuilt, "arguments", slots, choice, joinable: true);
        return rebuilt;
    }

    /// <summary>URL citations (title and URL scanned, offsets copied); other annotation kinds are dropped.</summary>
    private static JsonObject? Annotation(JsonObject annotation, int choice, List<Slot> slots)
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
        CopyScalar(citation, copy, "url", slots, choice);
        CopyScalar(citation, copy, "title", slots, choice);
        return new JsonObject { ["type"] = "url_citation", ["url_citation"] = copy };
    }

    /// <summary>
    /// A text field: a string (scanned) or null; anything else is left out. A number is too: every
    /// field copied here is text on OpenAI's wire, and a number is not scanned (a card number as a
    /// tool call's <c>arguments</c> went out whole), as streams already leave one out.
    /// </summary>
    private static void CopyScalar(JsonObject from, JsonObject to, string name, List<Slot> slots, int choice = -1, bool joinable = false)
    {
        switch (from[name])
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                to[name] = v.GetValue<string>();
                slots.Add(new Slot(v.GetValue<string>(), redacted => to[name] = redacted, choice, joinable));
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Null:
                to[name] = null;
                break;
        }
    }

    /// <summary>
    /// One text of the answer: where its redaction is written, the choice it belongs to (-1 for the
    /// answer's identifiers), and whether it is running text (content, refusal, reasoning, tool
    /// arguments) that is also scanned joined with the rest.
    /// </summary>
    private readonly record struct Slot(string Text, Action<string> Write, int Choice, bool Joinable);
}
