using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// UK National Insurance numbers (HMRC NIM39110): an allocated two-letter prefix, six digits and a
/// suffix A–D, e.g. <c>AB 12 34 56 C</c>; the prefix, the digit pairs and the suffix may be split by
/// one separator (<see cref="DigitSeparator"/>: spaces, dashes, dots, line breaks, …), the same one
/// wherever it is used (<c>AB.12.34.56.C</c>, <c>PR 123612C</c>). Without the suffix
/// the shape is common in product and order codes, so it counts only after a context word
/// ("national insurance", "NINO", "NI number").
/// </summary>
internal sealed class UkNinoDetector() : DlpDetector(DlpCategories.UkNino)
{
    // Two letters, six digits, a suffix and up to four separators.
    private const int MaxLength = 9 + (4 * DigitSeparator.MaxLength);

    private static readonly ContextWords Context = new("national insurance", "nino", "ni number", "ni no");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        for (var d = CharClass.DigitAtOrAfter(text, i); d >= 0; d = CharClass.DigitAtOrAfter(text, i))
        {
            i = Math.Max(d + 1, NumberRun.SkipChain(text, d));
            var separatorStart = d;
            while (separatorStart > 0 && d - separatorStart < DigitSeparator.MaxLength && DigitSeparator.IsSeparatorChar(text[separatorStart - 1]))
            {
                separatorStart--;
            }

            if (separatorStart < d && DigitSeparator.Length(text, separatorStart) != d - separatorStart)
            {
                continue;
            }

            var s = separatorStart - 2;
            if (s < from || !NinoRules.IsValidPrefix(text[s], text[s + 1]))
            {
                continue;
            }

            sink.Tick();
            var end = Match(text, d, text[separatorStart..d], out var hasSuffix);
            // A letter written against the prefix ("xAB123456C") does not hide a number with its
            // suffix, written in capitals as HMRC prints it (a lower-case hex id such as a GUID holds
            // "ce123456c" by chance); one without a suffix (a shape common in codes) must stand
            // alone after a context word.
            var alone = s == 0 || !CharClass.IsWordChar(text[s - 1]);
            var capitals = end > 0 && char.IsAsciiLetterUpper(text[s]) && char.IsAsciiLetterUpper(text[s + 1]) && char.IsAsciiLetterUpper(text[end - 1]);
            if (end > 0 && ((hasSuffix && (alone || capitals)) || (alone && Context.AnyBefore(text, s))))
            {
                sink.Add(s, end);
                i = Math.Max(i, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        for (var k = Math.Max(0, text.Length - MaxLength - 2); k < text.Length; k++)
        {
            if (char.IsAsciiLetter(text[k]) && IsUnfinished(text[k..]))
            {
                return k;
            }
        }

        return text.Length;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var last = text[end - 1];
        var suffix = char.IsAsciiLetter(last)
            ? $"suffix {char.ToUpperInvariant(last)}"
            : "no suffix letter, after a context word (national insurance, NINO, NI number)";
        return new DlpExplanation(
            "uk_nino.prefix_suffix",
            $"allocated prefix {char.ToUpperInvariant(text[start])}{char.ToUpperInvariant(text[start + 1])}, six digits, {suffix}");
    }

    /// <summary>
    /// Six digits in pairs from <paramref name="d"/>, then an optional suffix letter; each gap holds
    /// nothing or <paramref name="common"/> (the prefix's separator, or the first one used after it).
    /// Returns the end or 0.
    /// </summary>
    private static int Match(ReadOnlySpan<char> text, int d, ReadOnlySpan<char> common, out bool hasSuffix)
    {
        hasSuffix = false;
        var pos = d;
        for (var pair = 0; pair < 3; pair++)
        {
            if (pair > 0)
            {
                pos = SkipGap(text, pos, ref common);
            }

            if (pos + 2 > text.Length || !CharClass.IsDigit(text[pos]) || !CharClass.IsDigit(text[pos + 1]))
            {
                return 0;
            }

            pos += 2;
        }

        if (pos < text.Length && CharClass.IsDigit(text[pos]))
        {
            return 0;
        }

        var suffix = SkipGap(text, pos, ref common, letterAfter: true);
        if (suffix < text.Length && NinoRules.IsValidSuffix(text[suffix])
            && (suffix + 1 == text.Length || !CharClass.IsWordChar(text[suffix + 1])))
        {
            hasSuffix = true;
            return suffix + 1;
        }

        return pos < text.Length && CharClass.IsWordChar(text[pos]) ? 0 : pos;
    }

    /// <summary>Past the separator at <paramref name="pos"/> when it is the number's one separator; <paramref name="pos"/> otherwise.</summary>
    private static int SkipGap(ReadOnlySpan<char> text, int pos, ref ReadOnlySpan<char> common, bool letterAfter = false)
    {
        var length = DigitSeparator.Length(text, pos, alnumAfter: letterAfter);
        if (length == 0)
        {
            return pos;
        }

        var gap = text.Slice(pos, length);
        if (common.IsEmpty)
        {
            common = gap;
        }

        return gap.SequenceEqual(common) ? pos + length : pos;
    }

    /// <summary>True while <paramref name="rest"/> could still be, or still change, a NINO: two letters, then digits and separators, then at most a suffix and one settling character.</summary>
    private static bool IsUnfinished(ReadOnlySpan<char> rest)
    {
        var digits = 0;
        for (var k = 0; k < rest.Length; k++)
        {
            var c = rest[k];
            if (k < 2)
            {
                if (!char.IsAsciiLetter(c))
                {
                    return false;
                }

                continue;
            }

            if (CharClass.IsDigit(c))
            {
                if (++digits > 6)
                {
                    return false;
                }
            }
            else if (!DigitSeparator.IsSeparatorChar(c))
            {
                // A suffix letter and the one character that settles where the number ends.
                return digits == 6 && rest.Length - k <= 2;
            }
        }

        return rest.Length <= MaxLength + 1;
    }
}
