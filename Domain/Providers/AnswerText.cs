using System.Text;
using System.Text.Json;
using Synapse.RateLimiting;

namespace Synapse.Providers;

/// <summary>
/// Collects the text of an answer as the provider sent it (each choice's content, in index order,
/// separated by a blank line) so that the audit log can store its keyed digest; only the digest is
/// kept. Beside it, the rest of what the model generated — reasoning, refusals, tool calls' names
/// and arguments — which is not in the digest but is billed: together they are what a call that
/// ends without the provider's usage is charged for (<see cref="CountTokens"/>).
/// </summary>
public sealed class AnswerText
{
    /// <summary>The text fields of a message or delta (<see cref="Dlp.Gateway.AnswerFields.TextFields"/>) other than its content.</summary>
    private static readonly byte[][] OtherTextFields =
        [.. Dlp.Gateway.AnswerFields.TextFields.Where(f => f != "content").Select(Encoding.UTF8.GetBytes)];

    private readonly SortedDictionary<int, StringBuilder> _choices = [];
    private StringBuilder? _other;

    /// <summary>Adds a whole (not streamed) answer's <c>message</c>s.</summary>
    public void AddCompletion(ReadOnlyMemory<byte> body) => Add(body, "message"u8);

    /// <summary>Adds one streamed chunk's <c>delta</c>.</summary>
    public void AddChunk(ReadOnlyMemory<byte> chunk) => Add(chunk, "delta"u8);

    /// <summary>Adds text the model generated outside a choice's content (reasoning, a refusal, a tool call).</summary>
    public void AddOther(string text)
    {
        (_other ??= new StringBuilder()).Append(text);
    }

    /// <summary>
    /// The o200k tokens of everything collected, with the estimator that counts prompts
    /// (<see cref="PromptTokenEstimator.CountText"/>: bounded for any length). Counted once, when a
    /// call ends without the provider's usage, never per chunk.
    /// </summary>
    public int CountTokens()
    {
        var content = ToString();
        var other = _other?.ToString();
        return (content is null ? 0 : PromptTokenEstimator.CountText(content)) + (other is null ? 0 : PromptTokenEstimator.CountText(other));
    }

    /// <summary>Adds a choice's text that the caller has already read out of a chunk.</summary>
    public void AddText(int index, string text)
    {
        if (!_choices.TryGetValue(index, out var builder))
        {
            _choices[index] = builder = new StringBuilder();
        }

        builder.Append(text);
    }

    /// <summary>The generated text of a message or delta outside its content: reasoning, a refusal, tool calls.</summary>
    private void AddOtherTexts(JsonElement part)
    {
        foreach (var field in OtherTextFields)
        {
            if (part.TryGetProperty(field, out var text) && text.ValueKind == JsonValueKind.String)
            {
                AddOther(text.GetString()!);
            }
        }

        if (part.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function"u8, out var function))
                {
                    AddFunction(function);
                }
            }
        }

        if (part.TryGetProperty("function_call"u8, out var legacy))
        {
            AddFunction(legacy);
        }
    }

    private void AddFunction(JsonElement function)
    {
        if (function.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var field in (ReadOnlySpan<string>)["name", "arguments"])
        {
            if (function.TryGetProperty(field, out var text) && text.ValueKind == JsonValueKind.String)
            {
                AddOther(text.GetString()!);
            }
        }
    }

    /// <summary>The collected content, or null when the answer had no text at all.</summary>
    public override string? ToString() =>
        _choices.Count == 0 ? null : string.Join("\n\n", _choices.Values.Select(b => b.ToString()));

    private void Add(ReadOnlyMemory<byte> json, ReadOnlySpan<byte> container)
    {
        try
        {
            // Parsed in place: the body or chunk is not copied.
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var position = -1;
            foreach (var choice in choices.EnumerateArray())
            {
                position++;
                if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty(container, out var part) || part.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (part.TryGetProperty("content"u8, out var content) && content.ValueKind == JsonValueKind.String)
                {
                    // The index as the answer filter reads it and sends it on: a whole number, else
                    // the choice's place in the array.
                    var index = choice.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out var n) ? (int)n : position;
                    AddText(index, content.GetString()!);
                }

                AddOtherTexts(part);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Bad JSON, or a string no reader can decode (InvalidOperationException from GetString):
            // the answer filter withholds such an answer or ends the stream; here it adds no text.
        }
    }
}
