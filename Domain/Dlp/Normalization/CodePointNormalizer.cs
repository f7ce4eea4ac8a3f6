using System.Globalization;
using System.Text;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// Maps one code point to what the detectors see: NFKC (full-width digits and letters become ASCII),
/// format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, BOM, bidi
/// marks) removed, any space separator to ' ', any dash (and the minus sign) to '-', and decimal
/// digits of other scripts to ASCII digits. Normalising per code point keeps every output character
/// traceable to one input code point, which is what lets findings map back to original offsets;
/// canonical composition across code points is skipped because every detector matches ASCII shapes.
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

    private static string Compute(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            // A lone surrogate: keep it as it is.
            return ((char)codePoint).ToString();
        }

        var rune = new Rune(codePoint);
        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
        {
            return string.Empty;
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
                    builder.Append(c == '\u2212' ? '-' : c);
                    break;
            }
        }

        return builder.ToString();
    }
}
