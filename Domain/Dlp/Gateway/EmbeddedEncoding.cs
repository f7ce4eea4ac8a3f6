using System.Text;
using Synapse.Binding;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// How the bytes of text inside media are read, and written back after a redaction: the encoding
/// a byte-order mark shows (it wins over the label, as in browsers), else the one the data URL's
/// <c>charset</c> names, else the one the bytes themselves show. Text read as UTF-8 when it was
/// written in UTF-16 or EBCDIC reads as noise to the scanner and as text to the model, so a label
/// the gateway cannot read refuses the request instead of letting it through unread.
/// </summary>
internal sealed class EmbeddedEncoding
{
    /// <summary>UTF-8 without a mark: the default, and what an unlabelled text is taken to be.</summary>
    public static readonly EmbeddedEncoding Utf8 = new(new UTF8Encoding(false), []);

    private static readonly EmbeddedEncoding Utf16Le = new(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), []);
    private static readonly EmbeddedEncoding Utf16Be = new(new UnicodeEncoding(bigEndian: true, byteOrderMark: false), []);
    private static readonly EmbeddedEncoding Utf32Le = new(new UTF32Encoding(bigEndian: false, byteOrderMark: false), []);
    private static readonly EmbeddedEncoding Utf32Be = new(new UTF32Encoding(bigEndian: true, byteOrderMark: false), []);

    // Longest first: UTF-32 LE's mark begins with UTF-16 LE's.
    private static readonly (byte[] Mark, EmbeddedEncoding Encoding)[] Marks =
    [
        ([0xFF, 0xFE, 0x00, 0x00], Utf32Le),
        ([0x00, 0x00, 0xFE, 0xFF], Utf32Be),
        ([0xEF, 0xBB, 0xBF], Utf8),
        ([0xFF, 0xFE], Utf16Le),
        ([0xFE, 0xFF], Utf16Be),
    ];

    /// <summary>Only this much of a payload is read to tell its encoding, or text from binary.</summary>
    public const int SniffBytes = 3072;

    // Printable ASCII, to ask an encoding whether it reads ASCII as ASCII.
    private static readonly byte[] PrintableAscii = [.. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)];

    private readonly byte[] _mark;

    // The same encoding throwing on a bad sequence, for LooksLikeText: made once, not per sniff.
    private readonly Encoding _strict;

    private EmbeddedEncoding(Encoding encoding, byte[] mark)
    {
        Encoding = encoding;
        _mark = mark;
        _strict = (Encoding)encoding.Clone();
        _strict.DecoderFallback = DecoderFallback.ExceptionFallback;
    }

    public Encoding Encoding { get; }

    /// <summary>The encoding a declared text is in: its mark, else its <paramref name="charset"/>, else what its bytes show, else UTF-8.</summary>
    /// <exception cref="InvalidRequestException">
    /// A charset the gateway cannot read (or UTF-7, which can hide text from any reader), or one its
    /// bytes contradict (they read as UTF-8 text, differently).
    /// </exception>
    public static EmbeddedEncoding ForText(ReadOnlySpan<byte> bytes, string? charset, string param)
    {
        if (FromMark(bytes) is { } marked)
        {
            return marked;
        }

        if (FromCharset(charset, bytes, param) is { } declared)
        {
            // A label its bytes contradict: UTF-8 text read by its label is noise (UTF-16, EBCDIC)
            // or mojibake (Latin-1: full-width digits become accented letters) here, and the text it
            // is to a reader that sniffs or ignores the label. Under a label that reads ASCII as
            // ASCII (the usual sloppy "iso-8859-1" or "us-ascii") it is read as the UTF-8 it is;
            // under any other it is refused.
            if (declared.Encoding.CodePage != Utf8.Encoding.CodePage && Utf8.LooksLikeText(Prefix(bytes), complete: bytes.Length <= SniffBytes)
                && declared.Decode(bytes) != Utf8.Decode(bytes))
            {
                return declared.ReadsAsciiAsAscii()
                    ? Utf8
                    : throw new InvalidRequestException($"{param} is labelled with a charset its bytes are not in (they read as UTF-8 text); label it as what it is.", param);
            }

            return declared;
        }

        return Sniff(Prefix(bytes), complete: bytes.Length <= SniffBytes) ?? Utf8;
    }

    /// <summary>
    /// The encoding of media that says nothing of text (an image, audio, a file typed as binary)
    /// when its first bytes are text after all: UTF-8, or UTF-16 or UTF-32 (by their mark, or by
    /// the zero bytes their ASCII letters carry); <c>null</c> for binary.
    /// </summary>
    public static EmbeddedEncoding? Sniff(ReadOnlySpan<byte> prefix, bool complete = false)
    {
        if (FromMark(prefix) is { } marked)
        {
            return marked.LooksLikeText(prefix, complete) ? marked : null;
        }

        foreach (var candidate in (ReadOnlySpan<EmbeddedEncoding>)[Utf8, Utf16Le, Utf16Be, Utf32Le, Utf32Be])
        {
            if (candidate.LooksLikeText(prefix, complete))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether printable ASCII bytes read as themselves (Latin-1, windows-1252, Shift_JIS do; UTF-16 and EBCDIC do not).</summary>
    private bool ReadsAsciiAsAscii() =>
        Encoding.GetString(PrintableAscii) == System.Text.Encoding.ASCII.GetString(PrintableAscii);

    public string Decode(ReadOnlySpan<byte> bytes) =>
        Encoding.GetString(bytes.StartsWith(_mark) ? bytes[_mark.Length..] : bytes);

    /// <summary>The text as bytes in this encoding, with the mark the original began with.</summary>
    public byte[] Encode(string text) => [.. _mark, .. Encoding.GetBytes(text)];

    /// <summary>
    /// Text in this encoding: it decodes without error to characters that are not controls (but
    /// tab, line feed and carriage return) — what no image, sound or PDF is — and, for the wide
    /// encodings, at least a quarter of them ASCII, which random bytes read two or four at a time
    /// never are. A prefix may end inside a character: up to three bytes are let go.
    /// </summary>
    public bool LooksLikeText(ReadOnlySpan<byte> bytes, bool complete)
    {
        var body = bytes.StartsWith(_mark) ? bytes[_mark.Length..] : bytes;
        if (IsPlainlyNotText(body))
        {
            return false;
        }

        for (var cut = 0; cut <= (complete ? 0 : 3) && cut <= body.Length; cut++)
        {
            string text;
            try
            {
                text = _strict.GetString(body[..^cut]);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            return IsPlainText(text, wide: Encoding is UnicodeEncoding or UTF32Encoding);
        }

        return false;
    }

    /// <summary>
    /// What the bytes alone show, before a strict decode (which throws on the first bad sequence,
    /// dearly for every image sniffed): a control byte in UTF-8, or too few ASCII characters in a
    /// wide encoding.
    /// </summary>
    private bool IsPlainlyNotText(ReadOnlySpan<byte> body)
    {
        var width = Encoding switch { UTF32Encoding => 4, UnicodeEncoding => 2, _ => 0 };
        if (width == 0)
        {
            // Only UTF-8 is sniffed among the narrow encodings; tab, line feed and carriage return pass.
            return body.ContainsAnyInRange((byte)0x00, (byte)0x08) || body.ContainsAnyInRange((byte)0x0E, (byte)0x1F) || body.ContainsAny((byte)0x0B, (byte)0x0C, (byte)0x7F);
        }

        var bigEndian = Encoding.CodePage is 1201 or 12001; // UTF-16BE, UTF-32BE
        var units = body.Length / width;
        var ascii = 0;
        for (var i = 0; i < units; i++)
        {
            var unit = body.Slice(i * width, width);
            var low = bigEndian ? unit[^1] : unit[0];
            var rest = bigEndian ? unit[..^1] : unit[1..];
            ascii += low < 0x80 && !rest.ContainsAnyExcept((byte)0) ? 1 : 0;
        }

        return ascii * 4 < units;
    }

    private static bool IsPlainText(string text, bool wide)
    {
        var ascii = 0;
        foreach (var c in text)
        {
            if (c is < ' ' and not ('\t' or '\n' or '\r') or '\u007F')
            {
                return false;
            }

            ascii += c < 0x80 ? 1 : 0;
        }

        return !wide || ascii * 4 >= text.Length;
    }

    private static ReadOnlySpan<byte> Prefix(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, SniffBytes)];

    private static EmbeddedEncoding? FromMark(ReadOnlySpan<byte> bytes)
    {
        foreach (var (mark, encoding) in Marks)
        {
            if (bytes.StartsWith(mark))
            {
                return new EmbeddedEncoding(encoding.Encoding, mark);
            }
        }

        return null;
    }

    private static EmbeddedEncoding? FromCharset(string? charset, ReadOnlySpan<byte> bytes, string param)
    {
        if (charset is null)
        {
            return null;
        }

        switch (charset.ToLowerInvariant())
        {
            case "utf-8" or "utf8":
                return Utf8;
            case "utf-16" or "utf16" or "ucs-2":
                // No mark and no byte order named: the order whose zero bytes fall where ASCII's do.
                return Utf16Be.LooksLikeText(Prefix(bytes), complete: bytes.Length <= SniffBytes) ? Utf16Be : Utf16Le;
            case "utf-32" or "utf32":
                return Utf32Be.LooksLikeText(Prefix(bytes), complete: bytes.Length <= SniffBytes) ? Utf32Be : Utf32Le;
            case "utf-7" or "utf7" or "csunicode11utf7":
                throw Unreadable(param);
        }

        // Every code page .NET knows (ISO-8859-*, windows-125x, EBCDIC, Shift_JIS, …), by its name.
        var encoding = CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Known(charset);
        return encoding is null ? throw Unreadable(param) : new EmbeddedEncoding(encoding, []);
    }

    private static Encoding? Known(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static InvalidRequestException Unreadable(string param) =>
        new($"{param} names a charset the gateway cannot read; send its text as UTF-8.", param);
}
