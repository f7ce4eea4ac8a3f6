using Synapse.Grains.Dlp.Engine;
using Synapse.Grains.Dlp.Validation;

namespace Synapse.Grains.Dlp.Detection;

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
            var found = text[i..].IndexOfAnyInRange('0', '9');
            if (found < 0)
            {
                return;
            }

            var d = i + found;
            if (d > 0 && CharClass.IsWordChar(text[d - 1]))
            {
                i = CharClass.SkipWord(text, d);
                continue;
            }

            sink.Tick();
            var end = FollowsIbanHead(text, d) ? 0 : LongestValidFrom(text, d, digits);
            if (end > 0)
            {
                sink.Add(d, end);
            }

            i = CharClass.SkipDigits(text, d);
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, c => CharClass.IsDigit(c) || CharClass.IsGroupSeparator(c), MaxLength + 2);
        return CharClass.FirstInRange(text, run, CharClass.IsDigit);
    }

    /// <summary>
    /// True when the digits at <paramref name="start"/> continue a run of groups that began with an
    /// IBAN head such as <c>DE89</c>: the BBAN of an IBAN often contains a Luhn-valid stretch, and
    /// the mod-97 check is the stronger evidence.
    /// </summary>
    private static bool FollowsIbanHead(ReadOnlySpan<char> text, int start)
    {
        var pos = start;
        while (pos >= 2 && CharClass.IsGroupSeparator(text[pos - 1]) && char.IsAsciiLetterOrDigit(text[pos - 2]) && start - pos < IbanLookBehind)
        {
            var groupEnd = pos - 1;
            pos = groupEnd;
            while (pos > 0 && char.IsAsciiLetterOrDigit(text[pos - 1]))
            {
                pos--;
            }

            if (groupEnd - pos == 4 && char.IsAsciiLetter(text[pos]) && char.IsAsciiLetter(text[pos + 1])
                && CharClass.IsDigit(text[pos + 2]) && CharClass.IsDigit(text[pos + 3]))
            {
                return true;
            }
        }

        return false;
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
