namespace Synapse.Dlp.Detection;

/// <summary>
/// Whether a digit group continues an IBAN-shaped token: a head of two letters and two digits
/// (<c>DE89</c>) starting a chain of letter-and-digit groups joined by separators. The BBAN of an
/// IBAN often holds a Luhn-valid stretch or a phone-shaped one; whatever its checksum, such digits
/// are the IBAN detector's to judge, never a card, an SSN or a phone number. Groups between the head
/// and the digits have 3–8 characters, as IBANs are printed (groups of four, or bank code and account).
/// </summary>
internal static class IbanChain
{
    // An IBAN's card-like stretch starts within its first 25 characters or so; stays inside LookBehind.
    public const int LookBehind = 40;

    private const int MinGroup = 3;
    private const int MaxGroup = 8;

    /// <summary>True when the group starting at <paramref name="start"/> follows an IBAN head within <see cref="LookBehind"/> characters.</summary>
    public static bool Continues(ReadOnlySpan<char> text, int start) => HeadBefore(text, start) >= 0;

    /// <summary>Start of an IBAN head group in the separator-joined chain just before <paramref name="start"/>, or -1.</summary>
    public static int HeadBefore(ReadOnlySpan<char> text, int start)
    {
        var pos = start;
        while (start - pos < LookBehind)
        {
            // Step back over one separator run, then one group of letters and digits.
            var separatorStart = pos;
            while (separatorStart > 0 && pos - separatorStart < DigitSeparator.MaxLength && DigitSeparator.IsSeparatorChar(text[separatorStart - 1]))
            {
                separatorStart--;
            }

            if (separatorStart == pos || separatorStart == 0 || !char.IsAsciiLetterOrDigit(text[separatorStart - 1]))
            {
                return -1;
            }

            var groupEnd = separatorStart;
            pos = groupEnd;
            while (pos > 0 && groupEnd - pos < MaxGroup && char.IsAsciiLetterOrDigit(text[pos - 1]))
            {
                pos--;
            }

            if (groupEnd - pos < MinGroup)
            {
                return -1;
            }

            if (groupEnd - pos == 4 && char.IsAsciiLetter(text[pos]) && char.IsAsciiLetter(text[pos + 1])
                && CharClass.IsDigit(text[pos + 2]) && CharClass.IsDigit(text[pos + 3]) && (pos == 0 || !CharClass.IsWordChar(text[pos - 1])))
            {
                return pos;
            }

            if (pos > 0 && CharClass.IsWordChar(text[pos - 1]))
            {
                return -1;
            }
        }

        return -1;
    }
}
