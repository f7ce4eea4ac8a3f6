using System.Runtime.CompilerServices;

namespace Synapse.Dlp.Detection;

/// <summary>
/// What may stand between the groups of a card number, SSN, NINO or IBAN (on normalised text): a
/// run of at most <see cref="MaxWhitespace"/> whitespace characters (space, tab, line breaks) and at
/// most one punctuation character from <c>- . / _ , | : ; *</c> — so <c>4111 1111</c>,
/// <c>4111-1111</c>, <c>4111.1111</c>, <c>4111 - 1111</c>, <c>4111  1111</c> and
/// <c>4111\n1111</c> are all two groups. A run's <see cref="Punctuation"/> is that one character, or
/// <c>'\0'</c> for whitespace only; callers require one kind of punctuation per number.
/// </summary>
internal static class DigitSeparator
{
    public const int MaxWhitespace = 4;

    /// <summary>The longest run: four whitespace characters and one punctuation character.</summary>
    public const int MaxLength = MaxWhitespace + 1;

    // One bit per character below 64 ('_' and '|' lie above and are tested apart). These tests run
    // for nearly every character of digit-dense text in five detectors, so they are a shift and a
    // mask, and always inlined: as calls they were a tenth of a dense scan.
    private const ulong WhitespaceBits = (1UL << ' ') | (1UL << '\t') | (1UL << '\n') | (1UL << '\r');
    private const ulong PunctuationBits = (1UL << '-') | (1UL << '.') | (1UL << '/') | (1UL << ',') | (1UL << ':') | (1UL << ';') | (1UL << '*');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(char c) => c < 64 && ((WhitespaceBits >> c) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPunctuation(char c) => c < 64 ? ((PunctuationBits >> c) & 1) != 0 : c is '_' or '|';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSeparatorChar(char c) => c < 64 ? (((WhitespaceBits | PunctuationBits) >> c) & 1) != 0 : c is '_' or '|';

    /// <summary>
    /// Length of the separator run starting at <paramref name="pos"/> when a digit (or, with
    /// <paramref name="alnumAfter"/>, a letter or digit) follows it; 0 otherwise.
    /// </summary>
    public static int Length(ReadOnlySpan<char> text, int pos, bool alnumAfter = false)
    {
        // The common case first: one character, then a digit.
        if (pos + 1 < text.Length && CharClass.IsDigit(text[pos + 1]))
        {
            return IsSeparatorChar(text[pos]) ? 1 : 0;
        }

        var whitespace = 0;
        var punctuation = 0;
        var end = pos;
        while (end < text.Length && end - pos <= MaxLength)
        {
            var c = text[end];
            if (IsWhitespace(c))
            {
                whitespace++;
            }
            else if (IsPunctuation(c))
            {
                punctuation++;
            }
            else
            {
                break;
            }

            end++;
        }

        if (end == pos || whitespace > MaxWhitespace || punctuation > 1 || end >= text.Length)
        {
            return 0;
        }

        var next = text[end];
        return CharClass.IsDigit(next) || (alnumAfter && char.IsAsciiLetter(next)) ? end - pos : 0;
    }

    /// <summary>The punctuation character of the run <c>text[pos..pos+length]</c>, or <c>'\0'</c>.</summary>
    public static char Punctuation(ReadOnlySpan<char> text, int pos, int length)
    {
        if (length == 1)
        {
            return IsPunctuation(text[pos]) ? text[pos] : '\0';
        }

        foreach (var c in text.Slice(pos, length))
        {
            if (IsPunctuation(c))
            {
                return c;
            }
        }

        return '\0';
    }

    /// <summary>
    /// Punctuation that also separates list items and decimals (<c>, ; : .</c>): between such
    /// separators every group must be a real group (see the card rules), never a lone digit.
    /// </summary>
    public static bool IsListPunctuation(char c) => c is ',' or ';' or ':' or '.';
}
