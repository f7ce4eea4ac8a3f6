using System.Runtime.CompilerServices;

namespace Synapse.Dlp.Detection;

/// <summary>
/// "Whole number" tests for formats that must stand alone (SSN, phone): not one part of a longer
/// number or run of digit groups such as <c>2024-01-15-1234</c>. A letter is a boundary: it is
/// never part of a number, so <c>x123-45-6789</c> holds an SSN (a word boundary there once let a
/// single letter hide any value).
/// </summary>
internal static class NumberRun
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsRunSeparator(char c) => c is ' ' or '-' or '.' or '/';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsRunChar(char c) => CharClass.IsDigit(c) || IsRunSeparator(c);

    /// <summary>No digit, and no "digit + separator", before <paramref name="start"/>.</summary>
    public static bool StartsAlone(ReadOnlySpan<char> text, int start)
    {
        if (start == 0)
        {
            return true;
        }

        var prev = text[start - 1];
        if (CharClass.IsDigit(prev))
        {
            return false;
        }

        return !(IsRunSeparator(prev) && start >= 2 && CharClass.IsDigit(text[start - 2]));
    }

    /// <summary>No digit, and no "separator + digit", at <paramref name="end"/>.</summary>
    public static bool EndsAlone(ReadOnlySpan<char> text, int end)
    {
        if (end >= text.Length)
        {
            return true;
        }

        var next = text[end];
        if (CharClass.IsDigit(next))
        {
            return false;
        }

        return !(IsRunSeparator(next) && end + 1 < text.Length && CharClass.IsDigit(text[end + 1]));
    }

    /// <summary>
    /// Index just past the chain of digit groups joined by single run separators that starts at
    /// <paramref name="start"/>. No whole-number match can start inside such a chain, so detectors
    /// skip it in one step (this keeps "1.2.1.2…" or "1 2 3 4…" linear with a small constant).
    /// </summary>
    public static int SkipChain(ReadOnlySpan<char> text, int start, bool dotsOnly = false)
    {
        var pos = start;
        while (true)
        {
            while (pos < text.Length && CharClass.IsDigit(text[pos]))
            {
                pos++;
            }

            if (pos + 1 < text.Length && (dotsOnly ? text[pos] == '.' : IsRunSeparator(text[pos])) && CharClass.IsDigit(text[pos + 1]))
            {
                pos++;
                continue;
            }

            return pos;
        }
    }
}
