using System.Text;
using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// Collects the text of an answer (each choice's content, in index order, separated by a blank
/// line) so that the audit log can store its keyed digest. Only the digest is kept.
/// </summary>
public sealed class AnswerText
{
    private readonly SortedDictionary<int, StringBuilder> _choices = [];

    public static string? FromCompletion(ReadOnlyMemory<byte> body)
    {
        var text = new AnswerText();
        text.Add(body, "message"u8);
        return text.ToString();
    }

    /// <summary>Adds one streamed chunk's <c>delta.content</c>.</summary>
    public void AddChunk(ReadOnlyMemory<byte> chunk) => Add(chunk, "delta"u8);

    /// <summary>Adds a choice's text that the caller has already read out of a chunk.</summary>
    public void AddText(int index, string text)
    {
        if (!_choices.TryGetValue(index, out var builder))
        {
            _choices[index] = builder = new StringBuilder();
        }

        builder.Append(text);
    }

    /// <summary>The collected text, or null when the answer had no text at all.</summary>
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
                if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty(container, out var part) && part.ValueKind == JsonValueKind.Object
                    && part.TryGetProperty("content"u8, out var content) && content.ValueKind == JsonValueKind.String)
                {
                    // The index as the answer filter reads it and sends it on: a whole number, else
                    // the choice's place in the array.
                    var index = choice.TryGetProperty("index"u8, out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out var n) ? (int)n : position;
                    AddText(index, content.GetString()!);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Bad JSON, or a string no reader can decode (InvalidOperationException from GetString):
            // the answer filter withholds such an answer or ends the stream; here it adds no text.
        }
    }
}
