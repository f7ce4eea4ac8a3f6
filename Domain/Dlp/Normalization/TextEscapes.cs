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
/// escapes (<c>\u0034</c>, <c>\x34</c>, and JSON's <c>\n</c>, <c>\t</c>, <c>\\</c>…). Without this, <c>4111&amp;#32;1111&amp;#32;1111&amp;#32;1111</c>
/// or <c>jane%40example.com</c> passes every detector while meaning a card number or an address.
/// One escape stands for one code point, which <see cref="NormalizedView"/> maps back to the whole
/// escape. Named references are the BCL's (<see cref="WebUtility.HtmlDecode(string)"/>, HTML 4's
/// set) and a few of HTML 5's that write the characters detectors look for. And the words an
/// address is spelt with to get past filters, in brackets (<c>jane [at] example [dot] com</c>,
/// <c>(at)</c>, <c>{dot}</c>, <c>&lt;at&gt;</c>): unbracketed "at" and "dot" are ordinary words.
/// </summary>
internal static class TextEscapes
{
    /// <summary>The longest escape read: <c>&amp;#x10FFFF;</c>, <c>&amp;thetasym;</c>.</summary>
    public const int MaxLength = 10;

    /// <summary>The spaces a bracketed word takes on either side of it, and inside each bracket.</summary>
    public const int SymbolWordSpaces = 2;

    private static readonly SearchValues<char> Starts = SearchValues.Create("&%\\[({<");
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

    /// <summary>Whether an escape this class reads may begin with <paramref name="c"/>.</summary>
    public static bool MayStart(char c) => Starts.Contains(c);

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
        if (text.Length < 2)
        {
            return false;
        }

        if (text[0] == '\\' && ShortEscape(text[1]) is not '\0' and var escaped)
        {
            (codePoint, length) = (escaped, 2);
            return true;
        }

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
            case var open when IsSymbolWordStart(open):
                return SymbolWord(text, out codePoint, out length);
            default:
                return false;
        }
    }

    /// <summary>
    /// Where an escape that the next characters could complete begins in the last
    /// <see cref="MaxLength"/> characters of <paramref name="text"/> (<c>&amp;#3</c>, <c>%4</c>,
    /// <c>\u00</c>, <c>[a</c>), or -1: a stream's window holds it back until it is whole. A bracketed
    /// word takes the spaces before it (<c>jane [at]</c> reads <c>jane@</c>), so up to two spaces
    /// before one not yet whole, or at the end before one still to come, are held back too.
    /// </summary>
    public static int PartialStart(ReadOnlySpan<char> text)
    {
        var partial = -1;
        for (var start = Math.Max(0, text.Length - MaxLength + 1); start < text.Length; start++)
        {
            if (CouldBegin(text[start..]))
            {
                partial = start;
                break;
            }
        }

        if (partial >= 0 && !IsSymbolWordStart(text[partial]))
        {
            return partial;
        }

        var end = partial >= 0 ? partial : text.Length;
        var spaces = 0;
        while (spaces < SymbolWordSpaces && end - spaces > 0 && text[end - spaces - 1] is ' ' or '\t')
        {
            spaces++;
        }

        return spaces > 0 ? end - spaces : partial;
    }

    /// <summary>Whether <paramref name="c"/> opens a bracketed word (<c>[at]</c>), the one escape <see cref="NormalizedView"/> also takes the spaces around.</summary>
    public static bool IsSymbolWordStart(char c) => c is '[' or '(' or '{' or '<';

    private static bool CouldBegin(ReadOnlySpan<char> tail) => tail[0] switch
    {
        var open when IsSymbolWordStart(open) => tail.Length < MaxLength && CouldBeSymbolWord(tail),
        '%' => tail.Length < 3 && IsHex(tail[1..]),
        '\\' => tail.Length == 1
            || (tail[1] == 'u' && tail.Length < 6 && IsHex(tail[2..]))
            || (tail[1] == 'x' && tail.Length < 4 && IsHex(tail[2..])),
        '&' => tail.Length < MaxLength && (tail.Length == 1 || (tail[1] == '#' ? IsNumericBody(tail[2..]) : IsName(tail[1..]))),
        _ => false,
    };

    /// <summary>
    /// <c>[at]</c> for <c>@</c> and <c>[dot]</c> for <c>.</c>, any case, in square, round or curly
    /// brackets or angle brackets, with up to two spaces inside each bracket.
    /// </summary>
    private static bool SymbolWord(ReadOnlySpan<char> text, out int codePoint, out int length)
    {
        (codePoint, length) = (0, 0);
        var close = Closer(text[0]);
        var inner = text[1..Math.Min(text.Length, MaxLength)];
        var end = inner.IndexOf(close);
        if (end < 2)
        {
            return false;
        }

        var word = inner[..end];
        var trimmed = word.Trim(' ');
        if (word.Length - word.TrimStart(' ').Length > SymbolWordSpaces || word.Length - word.TrimEnd(' ').Length > SymbolWordSpaces)
        {
            return false;
        }

        codePoint = Symbol(trimmed);
        length = end + 2;
        return codePoint != 0;
    }

    /// <summary>Whether <paramref name="tail"/> (a bracket and what follows it, no closing bracket yet) could still become a bracketed word.</summary>
    private static bool CouldBeSymbolWord(ReadOnlySpan<char> tail)
    {
        var inner = tail[1..].TrimStart(' ');
        if (tail.Length - 1 - inner.Length > SymbolWordSpaces)
        {
            return false;
        }

        var word = inner.TrimEnd(' ');
        if (inner.Length - word.Length > SymbolWordSpaces)
        {
            return false;
        }

        // With spaces after it the word is complete; without, it may still grow.
        return inner.Length > word.Length
            ? Symbol(word) != 0
            : "at".AsSpan().StartsWith(word, StringComparison.OrdinalIgnoreCase) || "dot".AsSpan().StartsWith(word, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// What a JSON (and C) short escape stands for: <c>\n</c> a line feed, <c>\t</c> a tab, <c>\\</c>
    /// a backslash… 0 for any other letter. Tool-call arguments, <c>tool_use</c> input and JSON-mode
    /// answers are JSON text inside a string: their reader sees <c>"# deploy\nAKIA…"</c> as a line
    /// that starts with the key, while read as written the key is glued to the <c>n</c> and no
    /// detector sees its start. An escaped backslash is read whole, so <c>C:\\new</c> is a
    /// backslash and "new", as a JSON parser reads it.
    /// </summary>
    private static char ShortEscape(char letter) => letter switch
    {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'b' => '\b',
        'f' => '\f',
        '/' => '/',
        '"' => '"',
        '\\' => '\\',
        _ => '\0',
    };

    /// <summary>The symbol a bracketed word stands for: <c>@</c> for "at", <c>.</c> for "dot", in any case; 0 for any other word.</summary>
    private static char Symbol(ReadOnlySpan<char> word) =>
        word.Equals("at", StringComparison.OrdinalIgnoreCase) ? '@' : word.Equals("dot", StringComparison.OrdinalIgnoreCase) ? '.' : '\0';

    private static char Closer(char open) => open switch
    {
        '[' => ']',
        '(' => ')',
        '{' => '}',
        _ => '>',
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
