namespace Synapse.Binding;

/// <summary>
/// Whether a client's media type is a well-formed MIME type: <c>type "/" subtype</c>, then any
/// <c>;name=value</c> parameters whose value is a token or a quoted string (RFC 9110 §8.3.1, with
/// optional whitespace around each <c>;</c>), in printable ASCII. A media type reaches the provider
/// as the client wrote it — Anthropic's <c>media_type</c>, a data URL's header, which the adapters
/// put in Anthropic's <c>media_type</c> and Gemini's <c>mimeType</c> — so a line break or another
/// control character in it would be the gateway passing on what no provider's parser expects.
/// </summary>
public static class MediaTypeSyntax
{
    /// <summary>What a refusal says a media type must be.</summary>
    public const string Expected = "type/subtype (image/png), then any ;name=value parameters, in printable ASCII";

    private const string Base64Suffix = ";base64";

    public static bool IsWellFormed(ReadOnlySpan<char> mediaType)
    {
        var slash = Token(mediaType, 0);
        if (slash == 0 || slash == mediaType.Length || mediaType[slash] != '/')
        {
            return false;
        }

        var end = Token(mediaType, slash + 1);
        return end > slash + 1 && Parameters(mediaType, end);
    }

    /// <summary>
    /// A data URL's header, between <c>data:</c> and the comma (RFC 2397): a media type, or none
    /// (its default, text/plain), then its parameters and an optional final <c>;base64</c>.
    /// </summary>
    public static bool IsWellFormedDataUrlHeader(ReadOnlySpan<char> header)
    {
        if (header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase))
        {
            header = header[..^Base64Suffix.Length];
        }

        return header.IsEmpty || (header[0] == ';' ? Parameters(header, 0) : IsWellFormed(header));
    }

    /// <summary>
    /// A data URL header that was well formed, after a redaction wrote a marker into a parameter's
    /// value (<c>;ref=[REDACTED:PHONE]</c>, no token any more): each such value in quotes, so the
    /// header a provider receives stays one it can parse. A header that was never well formed, or
    /// whose type itself holds the marker, is returned as it is.
    /// </summary>
    public static string QuoteParameterValues(string header)
    {
        if (IsWellFormedDataUrlHeader(header))
        {
            return header;
        }

        var parts = header.Split(';');
        for (var i = 1; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var value = equals < 0 ? string.Empty : parts[i][(equals + 1)..];
            if (equals > 0 && value.Length > 0 && value[0] != '"' && Token(value, 0) != value.Length && value.All(IsPrintable) && !value.Contains('"', StringComparison.Ordinal) && !value.Contains('\\', StringComparison.Ordinal))
            {
                parts[i] = parts[i][..(equals + 1)] + '"' + value + '"';
            }
        }

        var quoted = string.Join(';', parts);
        return IsWellFormedDataUrlHeader(quoted) ? quoted : header;
    }

    /// <summary>Whether everything from <paramref name="at"/> is <c>;name=value</c> parameters.</summary>
    private static bool Parameters(ReadOnlySpan<char> value, int at)
    {
        while (at < value.Length)
        {
            at = Whitespace(value, at);
            if (at == value.Length || value[at] != ';')
            {
                return false;
            }

            at = Whitespace(value, at + 1);
            var equals = Token(value, at);
            if (equals == at || equals == value.Length || value[equals] != '=')
            {
                return false;
            }

            at = equals + 1;
            var end = at < value.Length && value[at] == '"' ? QuotedString(value, at) : Token(value, at);
            if (end <= at)
            {
                return false;
            }

            at = end;
        }

        return true;
    }

    /// <summary>The end of the token that starts at <paramref name="at"/> (<paramref name="at"/> itself when there is none).</summary>
    private static int Token(ReadOnlySpan<char> value, int at)
    {
        while (at < value.Length && IsTokenChar(value[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>The end of the quoted string that opens at <paramref name="at"/>; -1 when it is not closed or holds a control character.</summary>
    private static int QuotedString(ReadOnlySpan<char> value, int at)
    {
        for (at++; at < value.Length; at++)
        {
            var c = value[at];
            if (c == '"')
            {
                return at + 1;
            }

            if (c == '\\')
            {
                at++;
                if (at == value.Length || !IsPrintable(value[at]))
                {
                    return -1;
                }
            }
            else if (!IsPrintable(c))
            {
                return -1;
            }
        }

        return -1;
    }

    private static int Whitespace(ReadOnlySpan<char> value, int at)
    {
        while (at < value.Length && value[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    /// <summary>RFC 9110's <c>tchar</c>.</summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>What a quoted string may hold: a tab and printable ASCII.</summary>
    private static bool IsPrintable(char c) => c is '\t' or (>= ' ' and <= '~');
}
