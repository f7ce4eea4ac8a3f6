using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Payment card numbers: 13–19 digits, bare or in groups joined by separators
/// (<see cref="DigitSeparator"/>: whitespace including line breaks, and at most one of
/// <c>- . / _ , | : ; *</c>, with spaces around it if you like), starting at a group start and ending
/// at a group end, with a known issuer prefix for that length (<see cref="CardIssuers"/>) and a valid
/// Luhn check. One number uses one kind of punctuation. With list punctuation (<c>, ; : .</c>) every
/// group has at least 3 digits, except a thousands-style first group of 1–3 before groups of exactly
/// 3 — so CSV rows and decimals of small numbers are not cards. A number failing any check is not a
/// match.
/// </summary>
internal sealed class CreditCardDetector() : DlpDetector(DlpCategories.CreditCard)
{
    // 19 digits and 18 separator runs.
    private const int MaxLength = CardIssuers.MaxDigits + ((CardIssuers.MaxDigits - 1) * DigitSeparator.MaxLength);

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        Span<byte> digits = stackalloc byte[CardIssuers.MaxDigits];
        Span<int> groups = stackalloc int[CardIssuers.MaxDigits];
        var i = from;
        for (var d = CharClass.DigitAtOrAfter(text, i); d >= 0; d = CharClass.DigitAtOrAfter(text, i))
        {
            i = ScanRun(text, d, sink, digits, groups);
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, c => CharClass.IsDigit(c) || DigitSeparator.IsSeparatorChar(c), MaxLength + 2);
        return CharClass.FirstInRange(text, run, CharClass.IsDigit);
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        Span<byte> digits = stackalloc byte[CardIssuers.MaxDigits];
        var count = 0;
        var separator = '\0';
        var whitespace = false;
        foreach (var c in text[start..end])
        {
            if (CharClass.IsDigit(c) && count < digits.Length)
            {
                digits[count++] = (byte)(c - '0');
            }
            else if (DigitSeparator.IsPunctuation(c))
            {
                separator = c;
            }
            else if (DigitSeparator.IsWhitespace(c))
            {
                whitespace = true;
            }
        }

        var layout = separator != '\0' ? $"grouped with '{separator}'" : whitespace ? "grouped with whitespace" : "written without separators";
        return new DlpExplanation(
            "credit_card.luhn_issuer",
            $"Luhn valid, issuer {CardIssuers.Find(digits[..count]) ?? "unknown"}, {count} digits, {layout}");
    }

    /// <summary>
    /// Handles one run of digit groups joined by separators, starting at <paramref name="runStart"/>:
    /// every group start may begin a card (unless the run is part of a compact IBAN, or continues
    /// an IBAN head such as <c>DE89</c>). A letter before the run is no reason to skip it: a letter
    /// is never part of a card number, so <c>a4111 1111 1111 1111</c> holds one. Returns the end of the run. A first pass finds the run's end
    /// and counts its digits, so that only group starts with at least
    /// <see cref="CardIssuers.MinDigits"/> digits left in the run are tried: most runs in ordinary
    /// text (dates, phone numbers, SSNs, addresses) are shorter than any card and cost one pass.
    /// Groups are scanned at most twice and each try reads at most 19 digits, so a run like
    /// "4 1 1 1 …" costs a small constant per group.
    /// </summary>
    private static int ScanRun(ReadOnlySpan<char> text, int runStart, CandidateSink sink, Span<byte> digits, Span<int> groups)
    {
        var runEnd = runStart;
        var left = 0;
        while (true)
        {
            var groupEnd = CharClass.SkipDigits(text, runEnd);
            left += groupEnd - runEnd;
            var separator = DigitSeparator.Length(text, groupEnd);
            if (separator == 0)
            {
                runEnd = groupEnd;
                break;
            }

            sink.Tick();
            runEnd = groupEnd + separator;
        }

        var groupStart = runStart;
        while (left >= CardIssuers.MinDigits)
        {
            var groupEnd = CharClass.SkipDigits(text, groupStart);
            var allowed = !(groupStart == runStart && IbanChain.InCompactIban(text, runStart))
                && !(groupStart - runStart <= IbanChain.LookBehind && IbanChain.Continues(text, groupStart));
            if (allowed)
            {
                sink.Tick();
                var end = LongestValidFrom(text, groupStart, digits, groups);
                if (end > 0 && !HexDigest.Contains(text, groupStart, end))
                {
                    sink.Add(groupStart, end);
                }
            }

            left -= groupEnd - groupStart;
            groupStart = groupEnd + DigitSeparator.Length(text, groupEnd);
        }

        return runEnd;
    }

    /// <summary>End of the longest valid card number starting at <paramref name="start"/>, or 0.</summary>
    private static int LongestValidFrom(ReadOnlySpan<char> text, int start, Span<byte> digits, Span<int> groups)
    {
        var count = 0;
        var groupCount = 0;
        var pos = start;
        var best = 0;
        var punctuation = '\0';
        while (true)
        {
            var groupStart = count;
            while (pos < text.Length && CharClass.IsDigit(text[pos]))
            {
                if (count == CardIssuers.MaxDigits)
                {
                    return best;
                }

                digits[count++] = (byte)(text[pos++] - '0');
                if (count == 4 && !CardIssuers.IsKnownPrefix(digits[..4]))
                {
                    return 0;
                }
            }

            groups[groupCount++] = count - groupStart;
            if (punctuation != '\0' && !GroupsFit(groups[..groupCount], punctuation))
            {
                return best;
            }

            if (count >= CardIssuers.MinDigits && CardIssuers.IsPlausibleLength(digits[0], count)
                && Luhn.IsValid(digits[..count]) && CardIssuers.IsKnown(digits[..count]))
            {
                best = pos;
            }

            // A letter ends the number ("4111111111111111a"): it is never one of its digits.
            var separator = DigitSeparator.Length(text, pos);
            if (separator == 0)
            {
                return best;
            }

            var kind = DigitSeparator.Punctuation(text, pos, separator);
            if (kind != '\0')
            {
                if (punctuation != '\0' && punctuation != kind)
                {
                    return best;
                }

                punctuation = kind;
                if (!GroupsFit(groups[..groupCount], punctuation))
                {
                    return best;
                }
            }

            pos += separator;
        }
    }

    /// <summary>
    /// With list punctuation every group has 3 or more digits, or the groups are thousands-style: a
    /// first group of 1–3 digits, then groups of exactly 3 (the last one may still be growing).
    /// </summary>
    private static bool GroupsFit(ReadOnlySpan<int> groups, char punctuation)
    {
        if (!DigitSeparator.IsListPunctuation(punctuation) || groups.Length == 1)
        {
            return true;
        }

        var allThreeOrMore = true;
        var thousands = groups[0] <= 3;
        for (var k = 0; k < groups.Length; k++)
        {
            allThreeOrMore &= groups[k] >= 3;
            if (k > 0)
            {
                thousands &= groups[k] == 3;
            }
        }

        return allThreeOrMore || thousands;
    }
}
