using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Binding;

/// <summary>How every request body is parsed: strictly, so that no two parsers can disagree.</summary>
public static class RequestJson
{
    /// <summary>
    /// Duplicate property names are refused: <c>{"model":"a","model":"b"}</c> must not let one
    /// reader see <c>a</c> and another <c>b</c>.
    /// </summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException(Describe(e));
        }

        return node as JsonObject ?? throw new InvalidRequestException("The request body must be a JSON object.");
    }

    /// <summary>The parser's complaint without any of the offending text.</summary>
    public static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
        return e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
            ? $"The request body names the same property twice{where}."
            : $"The request body is not valid JSON{where}.";
    }
}
