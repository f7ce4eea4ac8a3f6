using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// Escapes a model reads as the character they stand for, so DLP reads them that way too:
/// HTML character references (<c>&amp;#32;</c>, <c>&amp;#x40;</c>, <c>&amp;nbsp;</c>,
/// <c>&amp;commat;</c>), percent-escapes of printable ASCII (<c>%20</c>, <c>%40</c>) and backslash
/// escapes (<c>\u0034</c>, <c>\x34</c>). Without this, <c>4111&amp;#32;1111&amp;#32;1111&amp;#32;1111</c>
/// or <c>jane%40example.com</c> passes every detector while meaning a card number or an address.
/// One escape stands for one code point, which <see cref="NormalizedView"/> maps back to the whole
/// escape. Named references are the BCL's (<see cref="WebUtility.HtmlDecode(string)"/>, HTML 4's
/// set) and a few of HTML 5's that write the characters detectors look for.
/// </summary>
internal static class TextEscapes
{
    /// <summary>The longest escape read: <c>&amp;#x10FFFF;</c>, <c>&amp;thetasym;</c>.</summary>
    public const int MaxLength = 10;

    private static readonly SearchValues<char> Starts = SearchValues.Create("&%\\");
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> NameChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    // HTML 5 names WebUtility (HTML 4) does not know, for the characters addresses and numbers are written with.
    private static readonly Dictionary<string, char> Html5Names = new(StringComparer.Ordinal)
    {
        ["&commat;"] = '@', ["&period;"] = '.', ["&lowbar;"] = '_', ["&hyphen;"] = '-', ["&dash;"] = '-',
        ["&sol;"] = '/', ["&colon;"] = ':', ["&plus;"] = '+', ["&num;"] = '#', ["&comma;"] = ',',
    };

    // Names seen, decoded or not (-1), bounded: text can hold any number of made-up names.
    private const int NamedCacheLimit = 4096;
    private static readonly ConcurrentDictionary<string, int> NamedCache = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="text"/> holds any escape this class reads.</summary>
    public static bool Any(ReadOnlySpan<char> text)
    {
        var rest = text;
        while (rest.IndexOfAny(Starts) is var at and >= 0)
        {
            if (TryDecode(rest[at..], out _, out _))
            {
                return true;
            }

            rest = rest[(at + 1)..];
        }

        return false;
    }

    /// <summary>The code point of the escape <paramref name="text"/> begins with, and the escape's length.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out int codePoint, out int length)
    {
        (codePoint, length) = (0, 0);
        if (text.Length < 3)
        {
            return false;
        }

        switch (text[0])
        {
            case '%' when Hex(text[1..3]) is >= 0x20 and < 0x7F and var ascii:
                (codePoint, length) = (ascii, 3);
                return true;
            case '\\' when text[1] == 'u' && text.Length >= 6 && Hex(text[2..6]) is >= 0 and var unit && !char.IsSurrogate((char)unit):
                (codePoint, length) = (unit, 6);
                return true;
            case '\\' when text[1] == 'x' && text.Length >= 4 && Hex(text[2..4]) is >= 0 and var single:
                (codePoint, length) = (single, 4);
                return true;
            case '&':
                return Reference(text, out codePoint, out length);
            default:
                return false;
        }
    }

    /// <summary>
    /// Where an escape that the next characters could complete begins in the last
    /// <see cref="MaxLength"/> characters of <paramref name="text"/> (<c>&amp;#3</c>, <c>%4</c>,
    /// <c>\u00</c>), or -1: a stream's window holds it back until it is whole.
    /// </summary>
    public static int PartialStart(ReadOnlySpan<char> text)
    {
        for (var start = Math.Max(0, text.Length - MaxLength + 1); start < text.Length; start++)
        {
            if (CouldBegin(text[start..]))
            {
                return start;
            }
        }

        return -1;
    }

    private static bool CouldBegin(ReadOnlySpan<char> tail) => tail[0] switch
    {
        '%' => tail.Length < 3 && IsHex(tail[1..]),
        '\\' => tail.Length == 1
            || (tail[1] == 'u' && tail.Length < 6 && IsHex(tail[2..]))
            || (tail[1] == 'x' && tail.Length < 4 && IsHex(tail[2..])),
        '&' => tail.Length < MaxLength && (tail.Length == 1 || (tail[1] == '#' ? IsNumericBody(tail[2..]) : IsName(tail[1..]))),
        _ => false,
    };

    private static bool Reference(ReadOnlySpan<char> text, out int codePoint, out int length)
    {
        (codePoint, length) = (0, 0);
        var semicolon = text[..Math.Min(text.Length, MaxLength)].IndexOf(';');
        if (semicolon < 3)
        {
            return false;
        }

        var entity = text[..(semicolon + 1)];
        codePoint = entity[1] == '#' ? Numeric(entity[2..^1]) : Named(entity);
        length = entity.Length;
        return codePoint > 0;
    }

    /// <summary>The code point of a numeric reference's body (<c>32</c>, <c>x20</c>), or -1.</summary>
    private static int Numeric(ReadOnlySpan<char> body)
    {
        var value = body is ['x' or 'X', .. var hex] ? (IsHex(hex) ? Hex(hex) : -1)
            : !body.IsEmpty && !body.ContainsAnyExceptInRange('0', '9') && int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
            : -1;
        return Rune.IsValid(value) ? value : -1;
    }

    /// <summary>The code point of a named reference (<c>&amp;nbsp;</c>), or -1; each name decoded once, up to a bound.</summary>
    private static int Named(ReadOnlySpan<char> entity)
    {
        var known = NamedCache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (known.TryGetValue(entity, out var cached))
        {
            return cached;
        }

        var name = entity.ToString();
        var decoded = WebUtility.HtmlDecode(name);
        var value = Html5Names.TryGetValue(name, out var named) ? named
            : decoded != name && Rune.DecodeFromUtf16(decoded, out var rune, out var used) == OperationStatus.Done && used == decoded.Length ? rune.Value
            : -1;
        if (NamedCache.Count < NamedCacheLimit)
        {
            NamedCache[name] = value;
        }

        return value;
    }

    /// <summary>The value of hexadecimal digits, or -1.</summary>
    private static int Hex(ReadOnlySpan<char> digits) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(HexDigits);

    private static bool IsName(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(NameChars);

    private static bool IsNumericBody(ReadOnlySpan<char> text) =>
        text.IsEmpty || (text[0] is 'x' or 'X' ? IsHex(text[1..]) : !text.ContainsAnyExceptInRange('0', '9'));
}
