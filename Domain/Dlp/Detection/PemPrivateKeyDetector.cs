using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// PEM private keys (<c>-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |…]PRIVATE KEY-----</c>, and PGP
/// <c>PRIVATE KEY BLOCK</c>). Two matches are reported: the header alone, which is certain the
/// moment it is complete, so a stream blocks on it without waiting for the body; and the whole block
/// up to its <c>-----END …-----</c> line (or, with no end line within
/// <see cref="DetectionLimits.MaxPem"/> characters, the base64 lines after the header), so
/// redaction covers the key material.
/// </summary>
internal sealed class PemPrivateKeyDetector() : DlpDetector(DlpCategories.Secret)
{
    private const string Begin = "-----BEGIN ";
    private const string End = "-----END ";
    private const string Dashes = "-----";
    private const int MaxLabel = 64;
    private const int MaxHeader = 11 + MaxLabel + 5;

    private static readonly System.Buffers.SearchValues<char> FooterChars =
        System.Buffers.SearchValues.Create("-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        while (i < text.Length)
        {
            var found = text[i..].IndexOf(Begin, StringComparison.Ordinal);
            if (found < 0)
            {
                return;
            }

            var start = i + found;
            sink.Tick();
            var headerEnd = HeaderEnd(text, start, requirePrivate: true);
            if (headerEnd <= 0)
            {
                i = start + Begin.Length;
                continue;
            }

            sink.Add(start, headerEnd, certain: true);
            var blockEnd = BlockEnd(text, headerEnd, out _);
            if (blockEnd > headerEnd)
            {
                sink.Add(start, blockEnd);
            }

            i = headerEnd;
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        // A complete header whose block has not ended.
        var searchFrom = Math.Max(0, text.Length - DetectionLimits.MaxPem - (2 * MaxHeader));
        var last = text[searchFrom..].LastIndexOf(Begin, StringComparison.Ordinal);
        if (last >= 0)
        {
            var start = searchFrom + last;
            var headerEnd = HeaderEnd(text, start, requirePrivate: true);
            if (headerEnd > 0)
            {
                BlockEnd(text, headerEnd, out var settled);
                if (!settled)
                {
                    return start;
                }
            }
        }

        // A header still being written.
        for (var k = Math.Max(0, text.Length - MaxHeader); k < text.Length; k++)
        {
            if (text[k] == '-' && IsUnfinishedHeader(text[k..]))
            {
                return k;
            }
        }

        return text.Length;
    }

    /// <summary>End of <c>-----BEGIN label-----</c> at <paramref name="start"/>, or 0.</summary>
    private static int HeaderEnd(ReadOnlySpan<char> text, int start, bool requirePrivate)
    {
        var pos = start + (requirePrivate ? Begin.Length : End.Length);
        var labelStart = pos;
        while (pos < text.Length && pos - labelStart <= MaxLabel && (char.IsAsciiLetterUpper(text[pos]) || char.IsAsciiDigit(text[pos]) || text[pos] == ' '))
        {
            pos++;
        }

        if (!text[pos..].StartsWith(Dashes, StringComparison.Ordinal))
        {
            return 0;
        }

        var label = text[labelStart..pos];
        if (requirePrivate && !label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) && !label.EndsWith("PRIVATE KEY BLOCK", StringComparison.Ordinal))
        {
            return 0;
        }

        return pos + Dashes.Length;
    }

    /// <summary>
    /// End of the block whose header ends at <paramref name="headerEnd"/>: the body lines, then the
    /// <c>-----END …-----</c> line if it follows them directly. <paramref name="settled"/> is false
    /// while more text could still move that end.
    /// </summary>
    private static int BlockEnd(ReadOnlySpan<char> text, int headerEnd, out bool settled)
    {
        var limit = Math.Min(text.Length, headerEnd + DetectionLimits.MaxPem);
        var body = BodyEnd(text, headerEnd, limit);
        if (body == text.Length)
        {
            settled = false;
            return body;
        }

        var rest = text[body..];
        if (rest.StartsWith(End, StringComparison.Ordinal))
        {
            var footerEnd = HeaderEnd(text, body, requirePrivate: false);
            if (footerEnd > 0)
            {
                settled = true;
                return footerEnd;
            }

            // The footer may still be arriving.
            settled = rest.Length >= MaxHeader || rest.ContainsAnyExcept(FooterChars);
            return body;
        }

        settled = rest.Length >= End.Length || !End.AsSpan().StartsWith(rest, StringComparison.Ordinal);
        return body;
    }

    /// <summary>
    /// End of the body after the header, not past <paramref name="limit"/>: base64 lines, plus the
    /// <c>Proc-Type:</c>/<c>DEK-Info:</c> lines of legacy encrypted keys; stops at <c>-----</c>.
    /// </summary>
    private static int BodyEnd(ReadOnlySpan<char> text, int from, int limit)
    {
        var pos = from;
        while (pos < limit)
        {
            var c = text[pos];
            if (c == '-' && text[pos..].StartsWith(Dashes, StringComparison.Ordinal))
            {
                break;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\r' or '\n' or ':' or ',' or ' ' or '-'))
            {
                break;
            }

            pos++;
        }

        return pos;
    }

    private static bool IsUnfinishedHeader(ReadOnlySpan<char> rest)
    {
        if (rest.Length <= Begin.Length)
        {
            return Begin.AsSpan().StartsWith(rest, StringComparison.Ordinal);
        }

        if (!rest.StartsWith(Begin, StringComparison.Ordinal))
        {
            return false;
        }

        // Label characters, possibly followed by the first few closing dashes.
        var pos = Begin.Length;
        while (pos < rest.Length && (char.IsAsciiLetterUpper(rest[pos]) || char.IsAsciiDigit(rest[pos]) || rest[pos] == ' '))
        {
            pos++;
        }

        return pos - Begin.Length <= MaxLabel && Dashes.AsSpan().StartsWith(rest[pos..], StringComparison.Ordinal) && rest.Length - pos < Dashes.Length;
    }
}
