using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Synapse.Binding;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Reads the text inside media a request carries: a <c>data:</c> URL of a text type (decoded and
/// scanned like any text), and base64 media of any type whose bytes are in fact text (a "PNG" that
/// is a UTF-8 document is read as the document). Real binary media — images, audio, PDFs — are not
/// scanned: the gateway reads text, and says so in <c>docs/security.md</c>.
/// </summary>
internal static class EmbeddedText
{
    /// <summary>Only this much of a binary payload is decoded to tell text from binary.</summary>
    private const int SniffChars = 4096;

    /// <summary>
    /// What a data URL holds: its header (the media type and its parameters, between <c>data:</c>
    /// and the comma), the decoded text and how to encode a redacted text as the part after the
    /// comma; or <c>null</c> text when it holds binary media.
    /// </summary>
    /// <exception cref="InvalidRequestException">A base64 data URL whose payload is not base64.</exception>
    public static (string Header, string? Text, Func<string, string>? EncodeBody) FromDataUrl(string url, string param)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new InvalidRequestException($"{param} is not a valid data: URL.", param);
        }

        var header = url[5..comma];
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var mediaType = (isBase64 ? header[..^";base64".Length] : header).Split(';')[0].Trim().ToLowerInvariant();
        var payload = url.AsSpan(comma + 1);
        if (!isBase64)
        {
            // Percent-encoded: the URL itself is the text (decoded, so that %34%31… hides nothing).
            return (header, Uri.UnescapeDataString(payload.ToString()), Uri.EscapeDataString);
        }

        var (text, _) = FromBase64(payload, param, IsTextType(mediaType));
        return text is null ? (header, null, null) : (header, text, redacted => Convert.ToBase64String(Encoding.UTF8.GetBytes(redacted)));
    }

    /// <summary>Base64 media without a URL (<c>input_audio.data</c>): its text when its bytes are text.</summary>
    public static (string? Text, Func<string, string>? Encode) FromBase64(ReadOnlySpan<char> base64, string param, bool declaredText = false)
    {
        if (!Base64.IsValid(base64))
        {
            throw new InvalidRequestException($"{param} must be valid base64.", param);
        }

        if (!declaredText)
        {
            var prefixLength = Math.Min(base64.Length, SniffChars) & ~3;
            var prefix = new byte[prefixLength / 4 * 3];
            if (!Convert.TryFromBase64Chars(base64[..prefixLength], prefix, out var written) || !LooksLikeText(prefix.AsSpan(0, written), complete: prefixLength == base64.Length))
            {
                return (null, null);
            }
        }

        var bytes = Convert.FromBase64String(base64.ToString());
        if (!declaredText && !LooksLikeText(bytes, complete: true))
        {
            return (null, null);
        }

        return (Encoding.UTF8.GetString(bytes), redacted => Convert.ToBase64String(Encoding.UTF8.GetBytes(redacted)));
    }

    public static bool IsTextType(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal)
        || mediaType.EndsWith("+json", StringComparison.Ordinal)
        || mediaType.EndsWith("+xml", StringComparison.Ordinal)
        || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/ecmascript"
            or "application/x-javascript" or "application/yaml" or "application/x-yaml" or "application/toml"
            or "application/x-ndjson" or "application/sql" or "application/graphql" or "application/x-sh"
            or "application/rtf" or "message/rfc822" or "";

    /// <summary>
    /// UTF-8 with no control characters but tab, line feed and carriage return: what no image,
    /// sound or PDF is (their first bytes are already binary).
    /// </summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> bytes, bool complete)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 and not (0x09 or 0x0A or 0x0D) or 0x7F)
            {
                return false;
            }
        }

        if (complete)
        {
            return Utf8.IsValid(bytes);
        }

        // A prefix may end inside a multi-byte character.
        for (var cut = 0; cut <= 3 && cut <= bytes.Length; cut++)
        {
            if (Utf8.IsValid(bytes[..^cut]))
            {
                return true;
            }
        }

        return false;
    }
}
