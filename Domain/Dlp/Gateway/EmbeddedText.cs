using System.Buffers.Text;
using Synapse.Binding;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Reads the text inside media a request carries: a <c>data:</c> URL of a text type (decoded in
/// its encoding and scanned like any text), and base64 media of any type whose bytes are in fact
/// text (a "PNG" that is a UTF-8 or UTF-16 document is read as the document). Real binary media — images, audio, PDFs — are not
/// scanned: the gateway reads text, and says so in <c>docs/security.md</c>.
/// </summary>
internal static class EmbeddedText
{
    /// <summary>Only this much of a binary payload is decoded to tell text from binary.</summary>
    private const int SniffChars = EmbeddedEncoding.SniffBytes / 3 * 4;

    /// <summary>
    /// What a data URL holds: its header (the media type and its parameters, between <c>data:</c>
    /// and the comma), the decoded text and how to encode a redacted text as the part after the
    /// comma; or <c>null</c> text when it holds binary media. Text is read in the encoding its mark
    /// or its <c>charset</c> names (<see cref="EmbeddedEncoding"/>) and written back in it.
    /// </summary>
    /// <exception cref="InvalidRequestException">A base64 data URL whose payload is not base64, or a charset the gateway cannot read.</exception>
    public static (string Header, string? Text, Func<string, string>? EncodeBody) FromDataUrl(string url, string param)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new InvalidRequestException($"{param} is not a valid data: URL.", param);
        }

        var header = url[5..comma];
        var isBase64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        var parameters = (isBase64 ? header[..^";base64".Length] : header).Split(';');
        var mediaType = parameters[0].Trim().ToLowerInvariant();
        var charset = Charset(parameters, param);
        var payload = url.AsSpan(comma + 1);
        if (!isBase64)
        {
            // Percent-encoded: the URL itself is the text, its escapes bytes in its charset
            // (decoded, so that %34%31… hides nothing).
            var bytes = PercentEncoding.Decode(payload);
            var encoding = EmbeddedEncoding.ForText(bytes, charset, param);
            return (header, encoding.Decode(bytes), redacted => PercentEncoding.Encode(encoding.Encode(redacted)));
        }

        var (text, encode) = FromBase64(payload, param, IsTextType(mediaType) || charset is not null, charset);
        return (header, text, encode);
    }

    /// <summary>
    /// Base64 media (a data URL's payload, or <c>input_audio.data</c> without a URL): its text when
    /// it is declared text or its bytes are text, and how to encode a redacted text back.
    /// </summary>
    /// <exception cref="InvalidRequestException">The payload is not base64, or names a charset the gateway cannot read.</exception>
    public static (string? Text, Func<string, string>? Encode) FromBase64(ReadOnlySpan<char> base64, string param, bool declaredText = false, string? charset = null)
    {
        if (!Base64.IsValid(base64))
        {
            throw new InvalidRequestException($"{param} must be valid base64.", param);
        }

        // Base64 in lines (MIME's 76 columns): read as one run, as any decoder does; the prefix
        // sniffed below must start on a four-character boundary of the data itself.
        if (base64.ContainsAny(" \t\r\n"))
        {
            base64 = string.Concat(base64.ToString().Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }

        EmbeddedEncoding? encoding = null;
        if (!declaredText)
        {
            var prefixLength = Math.Min(base64.Length, SniffChars) & ~3;
            var prefix = new byte[prefixLength / 4 * 3];
            if (!Convert.TryFromBase64Chars(base64[..prefixLength], prefix, out var written)
                || (encoding = EmbeddedEncoding.Sniff(prefix.AsSpan(0, written), complete: prefixLength == base64.Length)) is null)
            {
                return (null, null);
            }
        }

        var bytes = Convert.FromBase64String(base64.ToString());
        if (encoding is null)
        {
            encoding = EmbeddedEncoding.ForText(bytes, charset, param);
        }
        else if (!encoding.LooksLikeText(bytes, complete: true))
        {
            return (null, null);
        }

        return (encoding.Decode(bytes), redacted => Convert.ToBase64String(encoding.Encode(redacted)));
    }

    /// <summary>
    /// The <c>charset</c> parameter of a media type's parameters, unquoted; <c>null</c> when there
    /// is none. A header that readers may take two ways is refused: a second <c>charset</c> (one
    /// reader takes the first, another the last), or <c>base64</c> anywhere but last and exactly so
    /// (RFC 2397 puts it just before the comma; a lenient reader that also decodes
    /// <c>;base64;x=y</c> or <c>;base64 </c> would read text this gateway took for percent-encoding).
    /// </summary>
    /// <param name="parameters">The media type, then its parameters, without a final <c>;base64</c>.</param>
    private static string? Charset(string[] parameters, string param)
    {
        string? charset = null;
        var named = false;
        foreach (var parameter in parameters.AsSpan(1))
        {
            var (name, value) = parameter.Split('=', 2) is [var n, var v] ? (n.Trim(), v) : (parameter.Trim(), null);
            if (name.Equals("base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidRequestException($"{param} is a data: URL whose header names base64 other than as its last part (';base64,'): readers could take it two ways.", param);
            }

            if (name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                if (named)
                {
                    throw new InvalidRequestException($"{param} is a data: URL whose header names its charset more than once: readers could take it two ways.", param);
                }

                named = true;
                charset = value?.Trim().Trim('"').Trim();
            }
        }

        return charset;
    }

    public static bool IsTextType(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal)
        || mediaType.EndsWith("+json", StringComparison.Ordinal)
        || mediaType.EndsWith("+xml", StringComparison.Ordinal)
        || mediaType is "application/json" or "application/xml" or "application/javascript" or "application/ecmascript"
            or "application/x-javascript" or "application/yaml" or "application/x-yaml" or "application/toml"
            or "application/x-ndjson" or "application/sql" or "application/graphql" or "application/x-sh"
            or "application/rtf" or "message/rfc822" or "";
}
