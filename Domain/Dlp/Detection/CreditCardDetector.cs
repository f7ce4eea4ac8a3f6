using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Payment card numbers: 13–19 digits, bare or in groups split by single spaces or dashes,
/// starting at a group start and ending at a group end, with a known issuer prefix for that length
/// and a valid Luhn check. A number failing either check is not a match.
/// </summary>
internal sealed class CreditCardDetector() : DlpDetector(DlpCategories.CreditCard)
{
    private const int MaxDigits = 19;

    // 19 digits and 18 single separators.
    private const int MaxLength = 37;

    // An IBAN's card-like stretch starts within its first 25 characters or so; stays inside LookBehind.
    private const int IbanLookBehind = 40;

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        var i = from;
        while (i < text.Length)
        {
            // Hostile runs put the next digit right here: skip the vectorised call.
            var found = CharClass.IsDigit(text[i]) ? 0 : text[i..].IndexOfAnyInRange('0', '9');
            if (found < 0)
            {
                return;
            }

            var d = i + found;
            i = ScanRun(text, d, sink, digits);
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, c => CharClass.IsDigit(c) || CharClass.IsGroupSeparator(c), MaxLength + 2);
        return CharClass.FirstInRange(text, run, CharClass.IsDigit);
    }

    /// <summary>
    /// Handles one run of digit groups joined by single separators, starting at <paramref name="runStart"/>:
    /// every group start may begin a card (unless the run is glued to a word on its left, or continues
    /// an IBAN head such as <c>DE89</c> — the BBAN of an IBAN often holds a Luhn-valid stretch and the
    /// mod-97 check is the stronger evidence). Returns the end of the run. Groups are scanned once, so
    /// a run like "4 1 1 1 …" costs a small constant per group.
    /// </summary>
    private static int ScanRun(ReadOnlySpan<char> text, int runStart, CandidateSink sink, Span<byte> digits)
    {
        var glued = runStart > 0 && CharClass.IsWordChar(text[runStart - 1]);
        var groupStart = runStart;
        while (true)
        {
            var groupEnd = CharClass.SkipDigits(text, groupStart);
            var allowed = !(groupStart == runStart && glued)
                && !(groupStart - runStart <= IbanLookBehind && IbanHeadBefore(text, groupStart) is var head && head >= 0 && groupStart - head <= IbanLookBehind);
            if (allowed)
            {
                sink.Tick();
                var end = LongestValidFrom(text, groupStart, digits);
                if (end > 0)
                {
                    sink.Add(groupStart, end);
                }
            }

            if (groupEnd + 1 < text.Length && CharClass.IsGroupSeparator(text[groupEnd]) && CharClass.IsDigit(text[groupEnd + 1]))
            {
                groupStart = groupEnd + 1;
                continue;
            }

            return groupEnd;
        }
    }

    /// <summary>Start of an IBAN head group (two letters, two digits) in the separator-joined chain just before <paramref name="start"/>, or -1.</summary>
    private static int IbanHeadBefore(ReadOnlySpan<char> text, int start)
    {
        var pos = start;
        while (pos >= 2 && CharClass.IsGroupSeparator(text[pos - 1]) && char.IsAsciiLetterOrDigit(text[pos - 2]) && start - pos < IbanLookBehind)
        {
            var groupEnd = pos - 1;
            pos = groupEnd;
            while (pos > 0 && groupEnd - pos < 8 && char.IsAsciiLetterOrDigit(text[pos - 1]))
            {
                pos--;
            }

            if (groupEnd - pos == 4 && char.IsAsciiLetter(text[pos]) && char.IsAsciiLetter(text[pos + 1])
                && CharClass.IsDigit(text[pos + 2]) && CharClass.IsDigit(text[pos + 3]) && (pos == 0 || !CharClass.IsWordChar(text[pos - 1])))
            {
                return pos;
            }
        }

        return -1;
    }

    /// <summary>End of the longest valid card number starting at <paramref name="start"/>, or 0.</summary>
    private static int LongestValidFrom(ReadOnlySpan<char> text, int start, Span<byte> digits)
    {
        var count = 0;
        var pos = start;
        var best = 0;
        while (true)
        {
            while (pos < text.Length && CharClass.IsDigit(text[pos]))
            {
                if (count == MaxDigits)
                {
                    return best;
                }

                digits[count++] = (byte)(text[pos++] - '0');
                if (count == 4 && !CardIssuers.IsKnownPrefix(digits[..4]))
                {
                    return 0;
                }
            }

            if (pos < text.Length && CharClass.IsWordLetter(text[pos]))
            {
                return best;
            }

            if (count >= 13 && CardIssuers.IsKnown(digits[..count]) && Luhn.IsValid(digits[..count]))
            {
                best = pos;
            }

            if (pos + 1 < text.Length && CharClass.IsGroupSeparator(text[pos]) && CharClass.IsDigit(text[pos + 1]))
            {
                pos++;
                continue;
            }

            return best;
        }
    }
}
