using System.Buffers;
using Synapse.Dlp.Validation;

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

    private static readonly SearchValues<char> IbanCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>Two letters and two digits standing alone on their left, as one group of four: <c>DE89</c>.</summary>
    private static bool IsHead(ReadOnlySpan<char> text, int pos) =>
        pos + 4 <= text.Length && char.IsAsciiLetter(text[pos]) && char.IsAsciiLetter(text[pos + 1])
        && CharClass.IsDigit(text[pos + 2]) && CharClass.IsDigit(text[pos + 3])
        && (pos + 4 == text.Length || !char.IsAsciiLetterOrDigit(text[pos + 4]))
        && (pos == 0 || !CharClass.IsWordChar(text[pos - 1]));

    /// <summary>
    /// True when the digits at <paramref name="runStart"/> lie inside an IBAN written compact
    /// (<c>GB82WEST12345698765432</c>, also glued to a word) whose mod-97 check passes: those digits
    /// are the IBAN's, not a card. Only a valid IBAN counts, so a country code written before a card
    /// (<c>NO4111111111111111</c>) does not hide it.
    /// </summary>
    public static bool InCompactIban(ReadOnlySpan<char> text, int runStart)
    {
        Span<char> compact = stackalloc char[IbanRules.MaxLength];
        var stop = Math.Max(0, runStart - IbanRules.MaxLength);
        for (var h = runStart - 2; h >= stop && char.IsAsciiLetterOrDigit(text[h]); h--)
        {
            var length = h + 4 <= text.Length && CharClass.IsDigit(text[h + 2]) && CharClass.IsDigit(text[h + 3]) ? IbanRules.LengthFor(text[h], text[h + 1]) : 0;
            if (length > 0 && h + length > runStart && h + length <= text.Length
                && !text.Slice(h, length).ContainsAnyExcept(IbanCharacters))
            {
                text.Slice(h, length).CopyTo(compact);
                if (IbanRules.HasValidChecksum(compact[..length]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the group starting at <paramref name="start"/> follows an IBAN head within <see cref="LookBehind"/> characters.</summary>
    public static bool Continues(ReadOnlySpan<char> text, int start) => HeadBefore(text, start) >= 0;

    /// <summary>Start of an IBAN head group in the separator-joined chain just before <paramref name="start"/>, or -1.</summary>
    public static int HeadBefore(ReadOnlySpan<char> text, int start)
    {
        // A start glued inside a group (the check digits of "DK50 0040 …", or "A090" of a BBAN)
        // steps over that group first: it may be the head itself.
        var pos = start;
        while (pos > 0 && start - pos < MaxGroup && char.IsAsciiLetterOrDigit(text[pos - 1]))
        {
            pos--;
        }

        if (pos < start && IsHead(text, pos))
        {
            return pos;
        }

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

            if (groupEnd - pos == 4 && IsHead(text, pos))
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
