using System.Text.Json;
using System.Text.Json.Nodes;

using Synapse.Dlp;

// As it was before issue 9 (commit 80e21bf), kept only as AnswerRebuildBenchmarks' baseline.
namespace Synapse.Benchmarks.Dlp.Baseline;

/// <summary>
/// Scans everything in a bound request that can carry data — message text (string or text
/// parts), <c>name</c> fields, tool-call arguments, tool results, embeddings input — in one
/// scan with one time budget, and writes redactions back in place. The key's own system prompt
/// (the first message when bound) is the admin's text and is not scanned.
/// </summary>
internal static class BeforePromptDlp
{
    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    public static DlpVerdict Apply(JsonObject bound, DlpScanner scanner, bool skipFirstMessage)
    {
        var slots = new List<(string Text, Action<string> Write)>();
        if (bound["messages"] is JsonArray messages)
        {
            for (var i = skipFirstMessage ? 1 : 0; i < messages.Count; i++)
            {
                if (messages[i] is JsonObject message)
                {
                    CollectMessage(message, slots);
                }
            }
        }
        else if (bound["input"] is { } input)
        {
            CollectValue(bound, "input", slots);
            if (input is JsonArray items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    CollectItem(items, i, slots);
                }
            }
        }

        if (slots.Count == 0)
        {
            return DlpVerdict.Clean;
        }

        var result = scanner.ScanAll([.. slots.Select(s => s.Text)]);
        for (var i = 0; i < slots.Count; i++)
        {
            if (!ReferenceEquals(result.Results[i].RedactedText, slots[i].Text) && result.Results[i].RedactedText != slots[i].Text)
            {
                slots[i].Write(result.Results[i].RedactedText);
            }
        }

        return result.Verdict;
    }

    private static void CollectMessage(JsonObject message, List<(string, Action<string>)> slots)
    {
        CollectValue(message, "content", slots);
        CollectValue(message, "name", slots);
        if (message["content"] is JsonArray parts)
        {
            foreach (var part in parts.OfType<JsonObject>())
            {
                CollectValue(part, "text", slots);
            }
        }

        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls.OfType<JsonObject>())
            {
                if (call["function"] is JsonObject function)
                {
                    CollectValue(function, "arguments", slots);
                    CollectValue(function, "name", slots);
                }
            }
        }

        if (message["function_call"] is JsonObject legacy)
        {
            CollectValue(legacy, "arguments", slots);
        }
    }

    private static void CollectValue(JsonObject owner, string property, List<(string, Action<string>)> slots)
    {
        if (owner[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            slots.Add((value.GetValue<string>(), text => owner[property] = text));
        }
    }

    private static void CollectItem(JsonArray items, int index, List<(string, Action<string>)> slots)
    {
        if (items[index] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            slots.Add((value.GetValue<string>(), text => items[index] = text));
        }
    }
}
