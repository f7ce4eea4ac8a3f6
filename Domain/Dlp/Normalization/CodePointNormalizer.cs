using System.Globalization;
using System.Text;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// Maps one code point to what the detectors see: NFKC (full-width digits and letters become ASCII),
/// invisible characters removed (Unicode category Cf — zero-width space and joiners, soft hyphen,
/// BOM, bidi marks — and the other default-ignorable code points, such as the Hangul fillers and
/// variation selectors, which are letters or marks and so escape a Cf filter), any space separator
/// and the blank Braille pattern to ' ', line and paragraph separators to '\n', any dash (and the
/// minus sign) to '-', dot-like bullets to '.', division and fraction slashes to '/', and decimal
/// digits of other scripts to ASCII digits. Normalising per code point keeps every output character
/// traceable to one input code point, which is what lets findings map back to original offsets;
/// canonical composition across code points is skipped because every detector matches ASCII shapes
/// (a combining mark on an ASCII base is dropped by <see cref="NormalizedView"/> instead).
/// </summary>
internal static class CodePointNormalizer
{
    // One slot per BMP character, filled on first use; racing writers store equal strings.
    private static readonly string?[] BmpCache = new string?[65536];

    /// <summary>
    /// Loads the Unicode normalisation data (ICU) now: the first call costs tens of milliseconds,
    /// which must not land inside a request's scan budget.
    /// </summary>
    public static void Warm() => _ = Map('\uFF11');

    public static string Map(int codePoint)
    {
        if (codePoint < 0x10000)
        {
            return BmpCache[codePoint] ??= Compute(codePoint);
        }

        return Compute(codePoint);
    }

    /// <summary>
    /// A non-spacing or enclosing combining mark (Mn, Me): on an ASCII base it only decorates the
    /// character (<c>4̶</c>, a keycap <c>4⃣</c>), so the view drops it there.
    /// </summary>
    public static bool IsCombiningMark(int codePoint) =>
        Rune.IsValid(codePoint) && Rune.GetUnicodeCategory(new Rune(codePoint)) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;

    /// <summary>
    /// Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt) outside category Cf: they
    /// render as nothing, so they are removed like format characters.
    /// </summary>
    public static bool IsInvisibleFiller(int codePoint) => codePoint switch
    {
        0x034F => true,                       // combining grapheme joiner
        0x115F or 0x1160 => true,             // Hangul choseong / jungseong fillers
        0x17B4 or 0x17B5 => true,             // Khmer inherent vowels
        >= 0x180B and <= 0x180F => true,      // Mongolian free variation selectors
        0x3164 or 0xFFA0 => true,             // Hangul filler, half-width Hangul filler
        >= 0xFE00 and <= 0xFE0F => true,      // variation selectors
        >= 0xFFF0 and <= 0xFFF8 => true,      // unassigned, reserved as ignorable
        >= 0xE0000 and <= 0xE0FFF => true,    // tags and variation selectors supplement
        _ => false,
    };

    private static string Compute(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            // A lone surrogate: keep it as it is.
            return ((char)codePoint).ToString();
        }

        var rune = new Rune(codePoint);
        var category = Rune.GetUnicodeCategory(rune);
        if (category == UnicodeCategory.Format || IsInvisibleFiller(codePoint))
        {
            return string.Empty;
        }

        if (category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator || codePoint == 0x0085)
        {
            return "\n";
        }

        if (codePoint == 0x2800)
        {
            // The blank Braille pattern renders as a space.
            return " ";
        }

        var normalized = rune.ToString().Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c < 128)
            {
                builder.Append(c);
                continue;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Format:
                    break;
                case UnicodeCategory.SpaceSeparator:
                    builder.Append(' ');
                    break;
                case UnicodeCategory.DashPunctuation:
                    builder.Append('-');
                    break;
                case UnicodeCategory.DecimalDigitNumber:
                    builder.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c)));
                    break;
                default:
                    builder.Append(Punctuation(c));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Look-alikes of the ASCII separators that digit groups use.</summary>
    private static char Punctuation(char c) => c switch
    {
        '\u2212' => '-',                                                        // minus sign
        '\u00B7' or '\u2022' or '\u2027' or '\u2219' or '\u22C5' or '\u30FB' => '.', // middle dots and bullets
        '\u2215' or '\u2044' => '/',                                            // division and fraction slash
        _ => c,
    };
}
