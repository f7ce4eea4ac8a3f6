using System.Text.Json;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Whether a chat body asks for a stream (top-level <c>"stream": true</c>), read without building
/// the document: the front end only picks the key grain's method; the key grain parses and checks
/// the body and refuses one whose <c>stream</c> disagrees with the method.
/// </summary>
internal static class StreamRequest
{
    public static bool IsStreamed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStream = reader.ValueTextEquals("stream"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isStream)
                {
                    return reader.TokenType == JsonTokenType.True;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The key grain answers a malformed body with its own error. InvalidOperationException
            // is how the reader reports a property name whose escapes are not valid UTF-16.
        }

        return false;
    }
}
