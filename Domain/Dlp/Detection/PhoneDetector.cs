using System.Buffers;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Phone numbers: E.164 (<c>+</c>, 8–15 digits, optional spaces, dots, dashes, parentheses);
/// North American <c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>415.555.2671</c>,
/// <c>1-415-555-2671</c>; national trunk-0 numbers in 2–5 digit groups such as
/// <c>020 7946 0958</c>, <c>07700 900123</c>, <c>01 23 45 67 89</c>. Ten bare digits count only
/// after a context word ("phone", "tel", "call", "mobile", …): without separators they are as often
/// an order or account number. Dates and times do not fit these group shapes.
/// </summary>
internal sealed class PhoneDetector() : DlpDetector(DlpCategories.Phone)
{
    // "+" and 15 digits with up to two separator characters between groups.
    private const int MaxLength = 48;
    private const int MaxGroups = 8;

    private static readonly SearchValues<char> Starts = SearchValues.Create("+(0123456789");
    private static readonly ContextWords Context = new("phone", "tel", "call", "mobile", "cell", "fax", "whatsapp", "sms", "text me", "contact");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        Span<int> groups = stackalloc int[MaxGroups];
        var i = from;
        while (i < text.Length)
        {
            var found = Starts.Contains(text[i]) ? 0 : text[i..].IndexOfAny(Starts);
            if (found < 0)
            {
                return;
            }

            var p = i + found;
            if (!NumberRun.StartsAlone(text, p) || (p > 0 && text[p - 1] == '+'))
            {
                i = CharClass.IsDigit(text[p]) ? Math.Max(CharClass.SkipWord(text, p), NumberRun.SkipChain(text, p)) : p + 1;
                continue;
            }

            sink.Tick();
            var plus = text[p] == '+';
            var end = ParseRun(text, plus ? p + 1 : p, groups, out var count, out var digits);
            i = Math.Max(p + 1, end);
            if (count == 0 || (end < text.Length && CharClass.IsWordChar(text[end])))
            {
                continue;
            }

            if (plus ? digits is >= 8 and <= 15 && text[p + 1] != '0' : IsNational(text, p, groups[..count], digits))
            {
                sink.Add(p, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, c => NumberRun.IsRunChar(c) || c is '(' or ')' or '+', MaxLength + 2);
        return CharClass.FirstInRange(text, run, c => CharClass.IsDigit(c) || c is '(' or '+');
    }

    /// <summary>Reads digit groups joined by one or two of <c> -.()</c>; returns the end of the last group.</summary>
    private static int ParseRun(ReadOnlySpan<char> text, int pos, Span<int> groups, out int count, out int digits)
    {
        count = 0;
        digits = 0;
        if (pos < text.Length && text[pos] == '(')
        {
            pos++;
        }

        var end = pos;
        while (pos < text.Length && CharClass.IsDigit(text[pos]))
        {
            var groupEnd = CharClass.SkipDigits(text, pos);
            digits += groupEnd - pos;
            if (count == MaxGroups || digits > 15)
            {
                count = 0;
                return groupEnd;
            }

            groups[count++] = groupEnd - pos;
            end = groupEnd;
            pos = groupEnd;
            if (pos < text.Length && text[pos] == ')')
            {
                end = ++pos;
            }

            var gap = 0;
            while (gap < 2 && pos < text.Length && text[pos] is ' ' or '-' or '.' or '(' or ')')
            {
                pos++;
                gap++;
            }
        }

        return end;
    }

    private static bool IsNational(ReadOnlySpan<char> text, int start, ReadOnlySpan<int> groups, int digits)
    {
        var first = text[start] == '(' ? start + 1 : start;
        if (groups.Length == 1)
        {
            // Bare digits: North American only, and only with a context word.
            var bare = digits == 10 ? first : digits == 11 && text[first] == '1' ? first + 1 : -1;
            return bare >= 0 && IsNanp(text, bare, bare + 3) && Context.AnyBefore(text, start);
        }

        if (groups is [3, 3, 4])
        {
            return IsNanp(text, first, SecondGroupStart(text, first, 3));
        }

        if (groups is [1, 3, 3, 4] && text[first] == '1')
        {
            var area = SecondGroupStart(text, first, 1);
            return IsNanp(text, area, SecondGroupStart(text, area, 3));
        }

        if (text[first] != '0' || text[first + 1] == '0' || digits is < 10 or > 11 || groups[0] is < 2 or > 5)
        {
            return false;
        }

        foreach (var length in groups)
        {
            if (length < 2)
            {
                return false;
            }
        }

        return true;
    }

    // Area code and exchange both start with 2–9.
    private static bool IsNanp(ReadOnlySpan<char> text, int area, int exchange) =>
        text[area] is >= '2' and <= '9' && text[exchange] is >= '2' and <= '9';

    private static int SecondGroupStart(ReadOnlySpan<char> text, int groupStart, int length)
    {
        var pos = groupStart + length;
        while (!CharClass.IsDigit(text[pos]))
        {
            pos++;
        }

        return pos;
    }
}
