using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Synapse.Persistence.Storage;

/// <summary>
/// The stored form of a sealed grain state: <c>{"$seal":"&lt;base64&gt;","$state":"&lt;the state's JSON&gt;"}</c>,
/// or <c>"$state":null</c> for a cleared state. The state's JSON is kept as a string, byte for
/// byte as the serializer wrote it, so that the seal is checked over exactly the bytes that are
/// then deserialized. Rows written before sealing existed are the state's JSON itself, whose first
/// property is never <c>$seal</c>: that is how they are told apart.
/// </summary>
internal static class SealedEnvelope
{
    public const string SealProperty = "$seal";
    public const string StateProperty = "$state";

    // Only quotes, backslashes and control characters need escaping in storage; the default
    // encoder would also escape every '"' of the inner JSON as \u0022 and every non-ASCII letter.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="json">The state's JSON, or null for a cleared state.</param>
    public static byte[] Write(ReadOnlySpan<byte> seal, ReadOnlySpan<byte> json, bool cleared)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 80);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBase64String(SealProperty, seal);
            if (cleared)
            {
                writer.WriteNull(StateProperty);
            }
            else
            {
                writer.WriteString(StateProperty, json);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What a stored payload holds.</summary>
    public static EnvelopeContent Read(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(SealProperty))
            {
                return EnvelopeContent.Unsealed;
            }
        }
        catch (JsonException)
        {
            return EnvelopeContent.Unsealed;
        }

        try
        {
            // From here on the row claims to be sealed: anything out of shape is broken, not legacy.
            if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var seal)
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(StateProperty)
                || !reader.Read())
            {
                return EnvelopeContent.Broken;
            }

            byte[]? json = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => Unescaped(ref reader),
                _ => [],
            };
            if (reader.TokenType is not (JsonTokenType.Null or JsonTokenType.String)
                || !reader.Read() || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return EnvelopeContent.Broken;
            }

            return new EnvelopeContent(EnvelopeKind.Sealed, seal, json);
        }
        catch (JsonException)
        {
            return EnvelopeContent.Broken;
        }
    }

    private static byte[] Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.ToArray();
        }

        var unescaped = new byte[reader.ValueSpan.Length];
        var written = reader.CopyString(unescaped);
        return unescaped.AsSpan(0, written).ToArray();
    }
}

internal enum EnvelopeKind
{
    /// <summary>Not an envelope: a row written before grain state was sealed (or by hand).</summary>
    Unsealed,

    /// <summary>Claims to be an envelope but is out of shape.</summary>
    Broken,

    /// <summary>An envelope whose seal is still to be checked.</summary>
    Sealed,
}

/// <param name="Json">The state's JSON, or null for a cleared state.</param>
internal sealed record EnvelopeContent(EnvelopeKind Kind, byte[] Seal, byte[]? Json)
{
    public static readonly EnvelopeContent Unsealed = new(EnvelopeKind.Unsealed, [], null);
    public static readonly EnvelopeContent Broken = new(EnvelopeKind.Broken, [], null);

    public bool Cleared => Json is null;
}
