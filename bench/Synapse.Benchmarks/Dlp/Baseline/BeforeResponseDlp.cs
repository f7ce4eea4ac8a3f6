using System.Text.Json;
using System.Text.Json.Nodes;

using Synapse.Dlp;

// As it was before issue 9 (commit 80e21bf), kept only as AnswerRebuildBenchmarks' baseline.
namespace Synapse.Benchmarks.Dlp.Baseline;

/// <summary>
/// Scans a non-streamed chat answer (each choice's content and tool-call arguments). Redactions
/// are written in place; a <c>block</c> replaces every choice with <see cref="WithheldNotice"/>
/// and finish reason <c>content_filter</c>.
/// </summary>
internal static class BeforeResponseDlp
{
    public const string WithheldNotice = "[This answer was withheld by the organisation's data policy.]";

    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    public static (byte[] Body, DlpVerdict Verdict) Apply(byte[] body, DlpScanner scanner)
    {
        if (JsonNode.Parse(body) is not JsonObject answer || answer["choices"] is not JsonArray choices)
        {
            return (body, DlpVerdict.Clean);
        }

        var slots = new List<(string Text, Action<string> Write)>();
        foreach (var message in choices.OfType<JsonObject>().Select(c => c["message"]).OfType<JsonObject>())
        {
            Collect(message, "content", slots);
            if (message["tool_calls"] is JsonArray calls)
            {
                foreach (var function in calls.OfType<JsonObject>().Select(c => c["function"]).OfType<JsonObject>())
                {
                    Collect(function, "arguments", slots);
                }
            }
        }

        if (slots.Count == 0)
        {
            return (body, DlpVerdict.Clean);
        }

        var result = scanner.ScanAll([.. slots.Select(s => s.Text)]);
        if (result.Verdict.IsBlocked)
        {
            foreach (var choice in choices.OfType<JsonObject>())
            {
                choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = WithheldNotice };
                choice["finish_reason"] = "content_filter";
            }
        }
        else if (result.Results.Any(r => r.IsModified))
        {
            for (var i = 0; i < slots.Count; i++)
            {
                slots[i].Write(result.Results[i].RedactedText);
            }
        }
        else
        {
            return (body, result.Verdict);
        }

        return (JsonSerializer.SerializeToUtf8Bytes(answer), result.Verdict);
    }

    private static void Collect(JsonObject owner, string property, List<(string, Action<string>)> slots)
    {
        if (owner[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            slots.Add((value.GetValue<string>(), text => owner[property] = text));
        }
    }
}
