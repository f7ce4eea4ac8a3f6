using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Synapse.Dlp.Validation;

/// <summary>
/// The structure a signed JWT must have (RFC 7519 §7.2, RFC 7515 §4.1.1, RFC 7518 §3.1): the header
/// segment decodes (base64url) to a JSON object with an <c>alg</c> string, the payload segment to a
/// JSON object, and the signature is as long as the algorithm's signature is — HS256 32 bytes (43
/// characters), HS384 48, HS512 64, ES256 64, ES384 96, ES512 132, EdDSA 64, RS/PS at least 128
/// bytes (a 1024-bit key) — or empty for <c>alg: none</c>; other algorithms need at least 16
/// characters. Made-up tokens (<c>eyJhbGciOi….eyJ….signature</c>, a corrupted header) fail.
/// </summary>
internal static class JwtShape
{
    private const int MaxSegmentBytes = 8 * 1024;

    /// <summary>Checks the three segments (base64url without padding); <paramref name="algorithm"/> is the header's <c>alg</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> header, ReadOnlySpan<char> payload, ReadOnlySpan<char> signature, out string algorithm)
    {
        algorithm = string.Empty;
        if (!TryReadAlgorithm(header, out algorithm) || !IsJsonObject(payload))
        {
            return false;
        }

        var bytes = signature.Length * 3 / 4;
        return algorithm switch
        {
            "none" => signature.IsEmpty,
            "HS256" => bytes == 32,
            "HS384" => bytes == 48,
            "HS512" or "ES256" or "ES256K" or "EdDSA" => bytes == 64,
            "ES384" => bytes == 96,
            "ES512" => bytes == 132,
            _ when algorithm.StartsWith("RS", StringComparison.Ordinal) || algorithm.StartsWith("PS", StringComparison.Ordinal) => bytes >= 128,
            _ => signature.Length >= 16,
        };
    }

    private static bool TryReadAlgorithm(ReadOnlySpan<char> segment, out string algorithm)
    {
        algorithm = string.Empty;
        var rented = Decode(segment, out var json);
        try
        {
            if (rented is null)
            {
                return false;
            }

            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? alg = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAlg = reader.ValueTextEquals("alg"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isAlg && reader.TokenType == JsonTokenType.String)
                {
                    alg = reader.GetString();
                }
                else if (!reader.TrySkip())
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || string.IsNullOrEmpty(alg) || alg.Length > 32)
            {
                return false;
            }

            algorithm = alg;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsJsonObject(ReadOnlySpan<char> segment)
    {
        var rented = Decode(segment, out var json);
        try
        {
            if (rented is null)
            {
                return false;
            }

            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decodes base64url into a rented buffer (null when it is not valid base64url or too long).</summary>
    private static byte[]? Decode(ReadOnlySpan<char> segment, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        var length = Base64Url.GetMaxDecodedLength(segment.Length);
        if (length > MaxSegmentBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        if (!Base64Url.TryDecodeFromChars(segment, buffer, out var written))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }

        bytes = buffer.AsSpan(0, written);
        return buffer;
    }
}
