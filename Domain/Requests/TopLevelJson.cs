using System.Text.Json;

namespace Synapse.Requests;

/// <summary>
/// One top-level property of a JSON object body, read without building the document: for the
/// few facts needed before a body is parsed — whether it asks for a stream (the front end picks the
/// key grain's method by it) and the model it names (recorded for a request refused before it is
/// parsed, a key past its limits). The key grain parses and checks the whole body.
/// </summary>
public static class TopLevelJson
{
    /// <summary>Whether the body's top-level <c>"stream"</c> is <c>true</c>.</summary>
    public static bool IsStreamed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            return Find(ref reader, "stream"u8) && reader.TokenType == JsonTokenType.True;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The body's top-level <c>"model"</c> when it is a string; null otherwise (a malformed body too).</summary>
    public static string? Model(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            return Find(ref reader, "model"u8) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException is how the reader reports a string whose escapes are not valid UTF-16.
            return null;
        }
    }

    /// <summary>Moves the reader to the value of the first top-level property called <paramref name="name"/>.</summary>
    private static bool Find(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(name);
            if (!reader.Read())
            {
                return false;
            }

            if (found)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
