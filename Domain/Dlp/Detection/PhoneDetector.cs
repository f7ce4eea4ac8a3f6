using System.Buffers;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Phone numbers (ITU-T E.164 and national numbering plans):
/// <list type="bullet">
/// <item>international: <c>+</c>, a country code not starting with 0 and 8–15 digits in all, in groups
/// split by up to two of <c> -.()</c> (<c>+44 (0)20 7946 0958</c>, <c>+1-415-555-2671</c>);</item>
/// <item>North American (NANP): <c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>415.555.2671</c>,
/// <c>1-415-555-2671</c>, area code and exchange starting with 2–9;</item>
/// <item>national numbers with a trunk 0: 9–12 digits in groups of 2 or more, the first of 2–5 digits
/// starting with a single 0 (<c>020 7946 0958</c>, <c>07700 900123</c>, <c>01 23 45 67 89</c>,
/// <c>09-7625400</c>, <c>0151 23456789</c>).</item>
/// </list>
/// Bare digit runs (10 digits North American, or 9–12 digits with a trunk 0) count only after a
/// context word ("phone", "tel", "call", "mobile", …): without separators they are as often an
/// order or account number. Dates (<c>15.06.2024 10:00</c>, <c>2024-06-15</c>) and digits that
/// continue an IBAN head (<see cref="IbanChain"/>) are not phone numbers. A number that runs straight
/// into another one (<c>+1 415 555 2671 212 555 0199</c>) is split where the first reaches its
/// longest valid length, and both are found.
/// </summary>
internal sealed class PhoneDetector() : DlpDetector(DlpCategories.Phone)
{
    // "+" and 15 digits with up to two separator characters between groups.
    private const int MaxLength = 48;
    private const int MaxGroups = 8;
    private const int MaxInternational = 15;
    private const int MaxNational = 12;

    private static readonly SearchValues<char> Starts = SearchValues.Create("+(0123456789");
    private static readonly SearchValues<char> DigitsAndPlus = SearchValues.Create("+0123456789");
    private static readonly ContextWords Context = new("phone", "tel", "call", "mobile", "cell", "fax", "whatsapp", "sms", "text me", "contact");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        Span<int> groups = stackalloc int[MaxGroups];
        Span<int> starts = stackalloc int[MaxGroups];
        var i = from;
        var lastEnd = -1;
        var retryAt = -1;
        while (i < text.Length)
        {
            var found = Starts.Contains(text[i]) ? 0 : text[i..].IndexOfAny(Starts);
            if (found < 0)
            {
                return;
            }

            var p = i + found;
            if (!StartsNumber(text, p, lastEnd))
            {
                i = CharClass.IsDigit(text[p]) ? Math.Max(CharClass.SkipWord(text, p), NumberRun.SkipChain(text, p)) : p + 1;
                continue;
            }

            sink.Tick();
            var plus = text[p] == '+';
            var run = ParseRun(text, plus ? p + 1 : p, groups, starts);
            var end = run.Count == 0 || (run.End < text.Length && CharClass.IsDigit(text[run.End]))
                ? 0
                : plus ? International(text, p, run, groups[..run.Count], starts) : National(text, p, run, groups[..run.Count], starts);
            if (end > 0 && plus && p > 0 && CharClass.IsWordChar(text[p - 1]) && groups[0] == 1 && text[p + 1] is not ('1' or '7'))
            {
                // "ZIP+4 94107-1234": a "+" glued to a word opens a number only before a real
                // country code; the one-digit codes are 1 and 7 (ITU-T E.164).
                end = 0;
            }
            if (end > 0)
            {
                sink.Add(p, end);
                lastEnd = end;
                i = end;
            }
            else if (!plus && run.Count == 4 && groups[0] >= 4 && groups[1..4] is [3, 3, 4] && p != retryAt)
            {
                // A postcode running into a North American number ("SD 20241 440-600-5124"): try again after it.
                lastEnd = starts[0] + groups[0];
                i = retryAt = starts[1];
            }
            else
            {
                i = Math.Max(p + 1, run.End);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, c => NumberRun.IsRunChar(c) || c is '(' or ')' or '+', MaxLength + 2);
        return CharClass.FirstInRange(text, run, c => CharClass.IsDigit(c) || c is '(' or '+');
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var digits = 0;
        foreach (var c in text[start..end])
        {
            digits += CharClass.IsDigit(c) ? 1 : 0;
        }

        var first = text[start] == '(' ? start + 1 : start;
        var (rule, reason) = text[start] == '+'
            ? ("phone.e164", $"international number: + then {digits} digits (E.164 allows 8–15)")
            : text[first] == '0'
                ? ("phone.national", $"national number with a trunk 0: {digits} digits in groups")
                : ("phone.nanp", $"North American number: {digits} digits, area code and exchange starting with 2–9");
        if (text[start] != '+' && !text[start..end].ContainsAnyExcept(DigitsAndPlus))
        {
            reason += ", bare digits after a context word (phone, tel, call, …)";
        }

        return new DlpExplanation(rule, reason);
    }

    /// <summary>
    /// A phone number may start at <paramref name="p"/>: not after a digit (a letter is a boundary:
    /// <c>x+44 7700 900123</c> holds one), not inside a longer
    /// digit chain (unless that chain was the phone number just found), not after another <c>+</c>,
    /// and not continuing an IBAN head.
    /// </summary>
    private static bool StartsNumber(ReadOnlySpan<char> text, int p, int lastEnd)
    {
        if (p > 0 && (text[p - 1] == '+' || CharClass.IsDigit(text[p - 1])))
        {
            return false;
        }

        // A "+" opens a new number whatever precedes it; a number right after the last one may too.
        var alone = text[p] == '+' || NumberRun.StartsAlone(text, p) || (lastEnd >= 0 && p - lastEnd <= 2 && p > lastEnd);
        return alone && !IbanChain.Continues(text, text[p] == '(' ? p + 1 : p);
    }

    /// <summary>
    /// Reads digit groups joined by one or two of <c> -.()</c> (at most <see cref="MaxGroups"/>),
    /// recording each group's length and start; returns where the groups stop, and whether more
    /// digits followed past the last group that fits.
    /// </summary>
    private static DigitRun ParseRun(ReadOnlySpan<char> text, int pos, Span<int> groups, Span<int> starts)
    {
        var count = 0;
        if (pos < text.Length && text[pos] == '(')
        {
            pos++;
        }

        var end = pos;
        while (pos < text.Length && CharClass.IsDigit(text[pos]))
        {
            if (count == MaxGroups)
            {
                return new DigitRun(count, end, Truncated: true);
            }

            var groupEnd = CharClass.SkipDigits(text, pos);
            starts[count] = pos;
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

        return new DigitRun(count, end, Truncated: false);
    }

    /// <summary>
    /// A <c>+</c> number: the whole run when it holds 8–15 digits and its country code does not start
    /// with 0. A longer run is two numbers written one after the other: it is cut where the rest is a
    /// national number of its own, which the next step then finds.
    /// </summary>
    private static int International(ReadOnlySpan<char> text, int start, DigitRun run, ReadOnlySpan<int> groups, ReadOnlySpan<int> starts)
    {
        if (text[start + 1] == '0')
        {
            return 0;
        }

        var total = 0;
        foreach (var g in groups)
        {
            total += g;
        }

        if (!run.Truncated && total <= MaxInternational)
        {
            return total >= 8 ? run.End : 0;
        }

        var best = 0;
        var digits = 0;
        for (var n = 1; n < groups.Length; n++)
        {
            digits += groups[n - 1];
            if (digits > MaxInternational)
            {
                break;
            }

            var rest = starts[n] > 0 && text[starts[n] - 1] == '(' ? starts[n] - 1 : starts[n];
            var restDigits = total - digits;
            if (digits >= 8 && !run.Truncated && IsNational(text, rest, groups[n..], restDigits))
            {
                best = EndOfGroup(text, starts[n - 1], groups[n - 1]);
            }
        }

        return best;
    }

    /// <summary>
    /// A national number: the whole run, with no digits beyond it; or, when the whole run is not one,
    /// its first groups where they are a number and the rest starts another (two numbers in a row,
    /// <c>052 5552606 074-7111234</c>), which the next step then finds.
    /// </summary>
    private static int National(ReadOnlySpan<char> text, int start, DigitRun run, ReadOnlySpan<int> groups, ReadOnlySpan<int> starts)
    {
        if (run.Truncated)
        {
            return 0;
        }

        var total = 0;
        foreach (var g in groups)
        {
            total += g;
        }

        if (total <= MaxNational + 1 && IsNational(text, start, groups, total))
        {
            return run.End;
        }

        var digits = 0;
        for (var n = 1; n < groups.Length; n++)
        {
            digits += groups[n - 1];
            if (digits > MaxNational)
            {
                break;
            }

            var rest = starts[n] > 0 && text[starts[n] - 1] == '(' ? starts[n] - 1 : starts[n];
            if (n > 1 && IsNational(text, start, groups[..n], digits) && total - digits <= MaxNational + 1 && IsNational(text, rest, groups[n..], total - digits))
            {
                return EndOfGroup(text, starts[n - 1], groups[n - 1]);
            }
        }

        return 0;
    }

    private static int EndOfGroup(ReadOnlySpan<char> text, int groupStart, int length)
    {
        var end = groupStart + length;
        return end < text.Length && text[end] == ')' ? end + 1 : end;
    }

    /// <summary>
    /// A national number: bare digits only after a context word; otherwise North American group
    /// shapes, or trunk-0 groups.
    /// </summary>
    private static bool IsNational(ReadOnlySpan<char> text, int start, ReadOnlySpan<int> groups, int digits)
    {
        var first = text[start] == '(' ? start + 1 : start;
        if (IsDate(text, first, groups))
        {
            return false;
        }

        if (groups.Length == 1)
        {
            // Bare digits: North American or trunk-0, and only with a context word.
            var bare = digits == 10 ? first : digits == 11 && text[first] == '1' ? first + 1 : -1;
            var nanp = bare >= 0 && IsNanp(text, bare, bare + 3);
            var trunk = digits is >= 9 and <= MaxNational && text[first] == '0' && text[first + 1] != '0';
            return (nanp || trunk) && Context.AnyBefore(text, start);
        }

        if (groups is [3, 3, 4])
        {
            return IsNanp(text, first, SecondGroupStart(text, first, 3));
        }

        if (groups is [3, 7] && text[first] != '0')
        {
            // "425 8829090": area code and a seven-digit local number, only with a context word.
            return IsNanp(text, first, SecondGroupStart(text, first, 3)) && Context.AnyBefore(text, start);
        }

        if (groups is [3, 2, 4])
        {
            // The shape of an SSN, not of any national numbering plan.
            return false;
        }

        if (groups is [1, 3, 3, 4] && text[first] == '1')
        {
            var area = SecondGroupStart(text, first, 1);
            return IsNanp(text, area, SecondGroupStart(text, area, 3));
        }

        if (groups[0] is < 2 or > 5 || text[first] != '0' || text[first + 1] == '0' || digits is < 9 or > MaxNational)
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

    /// <summary>
    /// The first groups read as a date: day.month.year or month/day/year (1–2, 1–2, 4 digits) or
    /// year-month-day (4, 1–2, 1–2), with a plausible year, month and day.
    /// </summary>
    private static bool IsDate(ReadOnlySpan<char> text, int first, ReadOnlySpan<int> groups)
    {
        if (groups.Length < 3)
        {
            return false;
        }

        // The group lengths first: most runs are not date-shaped and need no values read.
        var dayFirst = groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4;
        var yearFirst = groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2;
        if (!dayFirst && !yearFirst)
        {
            return false;
        }

        var a = Value(text, first, groups[0]);
        var bStart = SecondGroupStart(text, first, groups[0]);
        var b = Value(text, bStart, groups[1]);
        var c = Value(text, SecondGroupStart(text, bStart, groups[1]), groups[2]);
        if (dayFirst)
        {
            return c is >= 1900 and <= 2099 && ((a is >= 1 and <= 31 && b is >= 1 and <= 12) || (a is >= 1 and <= 12 && b is >= 1 and <= 31));
        }

        return a is >= 1900 and <= 2099 && b is >= 1 and <= 12 && c is >= 1 and <= 31;
    }

    private static int Value(ReadOnlySpan<char> text, int start, int length)
    {
        var value = 0;
        foreach (var c in text.Slice(start, length))
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    /// <summary>How many groups a run holds, where the last one ends, and whether digits went on past the group limit.</summary>
    private readonly record struct DigitRun(int Count, int End, bool Truncated);

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
