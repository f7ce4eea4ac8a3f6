using System.Collections.Frozen;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// Letters of other scripts that look like an ASCII letter, with the ASCII letters each can pass
/// for. The pairs are those of Unicode's confusables.txt (UTS #39) whose target is a single ASCII
/// letter, for the Latin-extension, Greek, Cyrillic and Armenian look-alikes; where the standard's
/// skeleton is <c>l</c> for an I-shaped glyph (<c>І</c>, <c>Ι</c>, <c>Ӏ</c>), both <c>I</c> and
/// <c>l</c> are listed, because a reader sees the capital I. Full-width and mathematical letters
/// need no entry: NFKC has already made them ASCII.
/// </summary>
internal static class ConfusableLetters
{
    private static readonly FrozenDictionary<char, string> Table = new Dictionary<char, string>
    {
        // Latin extensions.
        ['\u0131'] = "i", ['\u0251'] = "a", ['\u0261'] = "g", ['\u0269'] = "i", ['\u026A'] = "i", ['\u028B'] = "u",
        ['\u028F'] = "y", ['\u01C0'] = "lI", ['\u0196'] = "lI", ['\u01BD'] = "s", ['\u01A6'] = "R",

        // Greek.
        ['\u0391'] = "A", ['\u0392'] = "B", ['\u0395'] = "E", ['\u0396'] = "Z", ['\u0397'] = "H", ['\u0399'] = "Il",
        ['\u039A'] = "K", ['\u039C'] = "M", ['\u039D'] = "N", ['\u039F'] = "O", ['\u03A1'] = "P", ['\u03A4'] = "T",
        ['\u03A5'] = "Y", ['\u03A7'] = "X", ['\u037F'] = "J", ['\u03B1'] = "a", ['\u03B3'] = "y", ['\u03B9'] = "i",
        ['\u03BD'] = "v", ['\u03BF'] = "o", ['\u03C1'] = "p", ['\u03C3'] = "o", ['\u03C5'] = "u", ['\u03D2'] = "Y",
        ['\u03DC'] = "F", ['\u03F1'] = "p", ['\u03F2'] = "c", ['\u03F3'] = "j", ['\u03F9'] = "C", ['\u03FA'] = "M",

        // Cyrillic.
        ['\u0405'] = "S", ['\u0406'] = "Il", ['\u0408'] = "J", ['\u0410'] = "A", ['\u0412'] = "B", ['\u0415'] = "E",
        ['\u041A'] = "K", ['\u041C'] = "M", ['\u041D'] = "H", ['\u041E'] = "O", ['\u0420'] = "P", ['\u0421'] = "C",
        ['\u0422'] = "T", ['\u0423'] = "Y", ['\u0425'] = "X", ['\u042C'] = "b", ['\u0430'] = "a", ['\u0433'] = "r",
        ['\u0435'] = "e", ['\u043E'] = "o", ['\u0440'] = "p", ['\u0441'] = "c", ['\u0443'] = "y", ['\u0445'] = "x",
        ['\u0455'] = "s", ['\u0456'] = "i", ['\u0458'] = "j", ['\u0461'] = "w", ['\u0474'] = "V", ['\u0475'] = "v",
        ['\u04AE'] = "Y", ['\u04AF'] = "y", ['\u04BB'] = "h", ['\u04BD'] = "e", ['\u04C0'] = "lI", ['\u04CF'] = "il",
        ['\u0501'] = "d", ['\u050C'] = "G", ['\u051B'] = "q", ['\u051C'] = "W", ['\u051D'] = "w",

        // Armenian.
        ['\u054D'] = "U", ['\u054F'] = "S", ['\u0555'] = "O", ['\u0561'] = "w", ['\u0563'] = "q", ['\u0566'] = "q",
        ['\u0570'] = "h", ['\u0578'] = "n", ['\u057C'] = "n", ['\u057D'] = "u", ['\u0581'] = "g", ['\u0584'] = "f",
        ['\u0585'] = "o",
    }.ToFrozenDictionary();

    /// <summary>The ASCII letters <paramref name="c"/> can pass for, or an empty string.</summary>
    public static string For(char c) => c < 128 ? string.Empty : Table.GetValueOrDefault(c, string.Empty);

    /// <summary>True when <paramref name="c"/> is <paramref name="ascii"/> itself or one of its look-alikes.</summary>
    public static bool Matches(char c, char ascii) => c == ascii || (c >= 128 && For(c).Contains(ascii, StringComparison.Ordinal));
}
