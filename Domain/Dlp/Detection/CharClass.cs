using System.Runtime.CompilerServices;

namespace Synapse.Dlp.Detection;

/// <summary>Character tests shared by the detectors (all on normalised text).</summary>
internal static class CharClass
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    /// <summary>The first digit at or after <paramref name="from"/>; -1 when there is none or <paramref name="from"/> is past the end (the detectors' walk over digit runs).</summary>
    public static int DigitAtOrAfter(ReadOnlySpan<char> text, int from) => from < text.Length ? NextDigit(text, from) : -1;

    /// <summary>
    /// The index of the first ASCII digit at or after <paramref name="from"/>, or -1. Hostile runs
    /// put the next digit right at <paramref name="from"/>: the vectorised search is skipped then.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NextDigit(ReadOnlySpan<char> text, int from)
    {
        if (IsDigit(text[from]))
        {
            return from;
        }

        var found = text[from..].IndexOfAnyInRange('0', '9');
        return found < 0 ? -1 : from + found;
    }

    /// <summary>A letter or digit in any script: a number glued to one is part of a word, not PII.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) : char.IsLetterOrDigit(c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordLetter(char c) => c < 128 ? char.IsAsciiLetter(c) : char.IsLetter(c);

    /// <summary>Characters that make up API-key style tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    /// <summary>Index just past the run of word characters starting at <paramref name="i"/>.</summary>
    public static int SkipWord(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Index just past the digits starting at <paramref name="i"/>.</summary>
    public static int SkipDigits(ReadOnlySpan<char> text, int i)
    {
        var rest = text[i..].IndexOfAnyExceptInRange('0', '9');
        return rest < 0 ? text.Length : i + rest;
    }

    /// <summary>
    /// Start of the trailing run of characters accepted by <paramref name="inRun"/>, looking back at
    /// most <paramref name="cap"/> characters.
    /// </summary>
    public static int TrailingRunStart(ReadOnlySpan<char> text, Func<char, bool> inRun, int cap)
    {
        var i = text.Length;
        var stop = Math.Max(0, text.Length - cap);
        while (i > stop && inRun(text[i - 1]))
        {
            i--;
        }

        return i;
    }

    /// <summary>
    /// The first digit (or other start character) in <c>[from, end)</c>; <c>text.Length</c> if none.
    /// Used to turn a trailing run into a pending start.
    /// </summary>
    public static int FirstInRange(ReadOnlySpan<char> text, int from, Func<char, bool> isStart)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (isStart(text[i]))
            {
                return i;
            }
        }

        return text.Length;
    }
}
