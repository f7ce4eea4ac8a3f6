using System.Buffers;
using Synapse.Dlp.Engine;
using Synapse.Dlp.Normalization;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// PEM private keys (RFC 7468 textual encoding: <c>-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |…]PRIVATE
/// KEY-----</c>, and OpenPGP's <c>PRIVATE KEY BLOCK</c>) with key material after the header: at least
/// <see cref="MinKeyChars"/> base64 characters (one full 64-character PEM line; the smallest private
/// key, Ed25519 in PKCS#8, is exactly that) in runs of at least 16, random enough to be key material
/// (an entropy floor, <see cref="Randomness"/>). A header alone, or followed by a placeholder (<c>...</c>,
/// <c>&lt;your key&gt;</c>, <c>XXXX…</c>), is not a key. Body lines may be separated by real line
/// breaks, spaces, or the two characters <c>\n</c> of a JSON- or env-escaped key. The match covers the
/// header, the body and, when it follows, the <c>-----END …-----</c> line (or, with none within
/// <see cref="DetectionLimits.MaxPem"/>, the body). A stream blocks as soon as the block has ended or
/// 256 characters of key material have arrived, without waiting for the rest.
/// </summary>
internal sealed class PemPrivateKeyDetector() : DlpDetector(DlpCategories.Secret)
{
    /// <summary>One PEM line of base64: 48 bytes of DER.</summary>
    public const int MinKeyChars = 64;

    private const string Dashes = "-----";
    private const int MinRun = 16;

    // Key material sampled for the randomness test; real keys start with some DER or OpenSSH
    // structure ("MIIE…", "b3BlbnNzaC1rZXktdjEAAAAA…"), so only the entropy floor is applied.
    private const int SampleChars = 256;
    private const int MaxHeader = 5 + 6 + SecretPrefixes.MaxPemLabel + 5;

    private static readonly string Begin = Dashes + SecretPrefixes.PemBegin;
    private static readonly string End = Dashes + SecretPrefixes.PemEnd;

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static readonly SearchValues<char> FooterChars =
        SearchValues.Create("-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ");

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
            var headerEnd = HeaderEnd(text, start, Begin.Length, requirePrivate: true);
            if (headerEnd <= 0)
            {
                i = start + Begin.Length;
                continue;
            }

            var body = ReadBody(text, headerEnd);
            if (body.IsKey)
            {
                // Once the sampled material is complete no later text can undo the match: a stream blocks at once.
                if (body.CertainAt > 0)
                {
                    sink.Add(start, body.CertainAt, certain: true);
                }

                sink.Add(start, BlockEnd(text, body.End, out _));
            }

            i = Math.Max(headerEnd, body.End);
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
            var headerEnd = HeaderEnd(text, start, Begin.Length, requirePrivate: true);
            if (headerEnd > 0)
            {
                var body = ReadBody(text, headerEnd);
                BlockEnd(text, body.End, out var settled);
                if (!settled && body.End - headerEnd <= DetectionLimits.MaxPem)
                {
                    return start;
                }
            }
        }

        // A header still being written (its letters may be look-alikes the fold has not restored yet).
        for (var k = Math.Max(0, text.Length - MaxHeader); k < text.Length; k++)
        {
            if (text[k] == '-' && IsUnfinishedHeader(text[k..]))
            {
                return k;
            }
        }

        return text.Length;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var headerEnd = HeaderEnd(text, start, Begin.Length, requirePrivate: true);
        var label = headerEnd > 0 ? text[(start + Begin.Length)..(headerEnd - Dashes.Length)].ToString() : "PRIVATE KEY";
        var body = ReadBody(text, Math.Max(headerEnd, start));
        var footer = text[..end].EndsWith(Dashes, StringComparison.Ordinal) && end > body.End ? "END line present" : "no END line";
        return new DlpExplanation(
            "secret.pem_private_key",
            $"PEM block labelled {label} with {body.KeyChars} characters of base64 key material ({Randomness.BitsPerChar(text[body.KeyStart..Math.Max(body.KeyStart, body.End)]):0.0} bits/character), {footer}");
    }

    /// <summary>End of <c>-----BEGIN label-----</c> (or END) at <paramref name="start"/>, or 0.</summary>
    private static int HeaderEnd(ReadOnlySpan<char> text, int start, int wordLength, bool requirePrivate)
    {
        var pos = start + wordLength;
        var labelStart = pos;
        while (pos < text.Length && pos - labelStart <= SecretPrefixes.MaxPemLabel && (char.IsAsciiLetterUpper(text[pos]) || char.IsAsciiDigit(text[pos]) || text[pos] == ' '))
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
    /// Reads the body after a header: lines of base64 (runs of at least <see cref="MinRun"/> count as
    /// key material), the <c>Proc-Type:</c>/<c>DEK-Info:</c>/<c>Version:</c> lines of encrypted and
    /// PGP keys, separated by whitespace or escaped line breaks; it stops at <c>-----</c>, at any
    /// other character, or <see cref="DetectionLimits.MaxPem"/> characters on. Whether the material
    /// looks random is decided on its first <see cref="SampleChars"/> characters, so the answer
    /// never changes once that many have arrived.
    /// </summary>
    private static PemBody ReadBody(ReadOnlySpan<char> text, int from)
    {
        Span<char> sample = stackalloc char[SampleChars];
        var sampled = 0;
        var limit = Math.Min(text.Length, from + DetectionLimits.MaxPem);
        var pos = from;
        var keyChars = 0;
        var keyStart = -1;
        var sampleEnd = 0;
        while (pos < limit)
        {
            var c = text[pos];
            if (c == '-' && text[pos..].StartsWith(Dashes, StringComparison.Ordinal))
            {
                break;
            }

            if (Base64Chars.Contains(c))
            {
                var runEnd = pos + 1;
                while (runEnd < limit && Base64Chars.Contains(text[runEnd]))
                {
                    runEnd++;
                }

                if (runEnd - pos >= MinRun)
                {
                    keyStart = keyStart < 0 ? pos : keyStart;
                    keyChars += runEnd - pos;
                    var take = Math.Min(runEnd - pos, SampleChars - sampled);
                    text.Slice(pos, take).CopyTo(sample[sampled..]);
                    sampled += take;
                    if (sampleEnd == 0 && sampled == SampleChars)
                    {
                        sampleEnd = pos + take;
                    }
                }

                pos = runEnd;
                continue;
            }

            if (c == '\\' && pos + 1 < limit && text[pos + 1] is 'n' or 'r')
            {
                pos += 2;
                continue;
            }

            if (!(char.IsWhiteSpace(c) || IsHeaderPunctuation(c)))
            {
                break;
            }

            pos++;
        }

        var end = pos;
        while (end > from && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        var random = Randomness.BitsPerChar(sample[..sampled]) >= Randomness.Floor(SampleChars, 64);
        return new PemBody(end, keyChars, keyStart < 0 ? from : keyStart, sampleEnd, keyChars >= MinKeyChars && random);
    }

    /// <summary>Characters of the <c>Proc-Type: 4,ENCRYPTED</c> / <c>DEK-Info: AES-128-CBC,…</c> header lines.</summary>
    private static bool IsHeaderPunctuation(char c) => c is ':' or ',' or '-';

    /// <summary>
    /// End of the block whose body ends at <paramref name="bodyEnd"/>: the <c>-----END …-----</c> line
    /// if it follows. <paramref name="settled"/> is false while more text could still move that end.
    /// </summary>
    private static int BlockEnd(ReadOnlySpan<char> text, int bodyEnd, out bool settled)
    {
        var footer = bodyEnd;
        while (footer < text.Length && (char.IsWhiteSpace(text[footer]) || (text[footer] == '\\' && footer + 1 < text.Length && text[footer + 1] is 'n' or 'r')))
        {
            footer += text[footer] == '\\' ? 2 : 1;
        }

        if (footer == text.Length || (footer == text.Length - 1 && text[footer] == '\\'))
        {
            // The end of the text, or a backslash that may be the first half of an escaped line break.
            settled = false;
            return bodyEnd;
        }

        var rest = text[footer..];
        if (rest.StartsWith(End, StringComparison.Ordinal))
        {
            var footerEnd = HeaderEnd(text, footer, End.Length, requirePrivate: false);
            if (footerEnd > 0)
            {
                settled = true;
                return footerEnd;
            }

            // The footer may still be arriving (its letters may be look-alikes the fold restores once it is complete).
            settled = rest.Length >= MaxHeader || !IsFooterSoFar(rest);
            return bodyEnd;
        }

        settled = rest.Length >= End.Length || !End.AsSpan().StartsWith(rest, StringComparison.Ordinal);
        return bodyEnd;
    }

    private static bool IsFooterSoFar(ReadOnlySpan<char> rest)
    {
        foreach (var c in rest)
        {
            if (!FooterChars.Contains(c) && ConfusableLetters.For(c).Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUnfinishedHeader(ReadOnlySpan<char> rest)
    {
        if (rest.Length <= Begin.Length)
        {
            return SecretPrefixFold.CouldBegin(rest, Begin);
        }

        if (!SecretPrefixFold.CouldBegin(rest[..Begin.Length], Begin))
        {
            return false;
        }

        // Label characters (or look-alikes), possibly followed by the first few closing dashes.
        var pos = Begin.Length;
        while (pos < rest.Length && (char.IsAsciiLetterUpper(rest[pos]) || char.IsAsciiDigit(rest[pos]) || rest[pos] == ' ' || ConfusableLetters.For(rest[pos]).Length > 0))
        {
            pos++;
        }

        return pos - Begin.Length <= SecretPrefixes.MaxPemLabel && Dashes.AsSpan().StartsWith(rest[pos..], StringComparison.Ordinal) && rest.Length - pos < Dashes.Length;
    }

    /// <summary>What follows a header: where it ends, how much key material it holds and where that reached the minimum.</summary>
    private readonly record struct PemBody(int End, int KeyChars, int KeyStart, int CertainAt, bool IsKey);
}
