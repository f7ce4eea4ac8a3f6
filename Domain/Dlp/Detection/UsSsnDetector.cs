using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// US Social Security numbers written <c>AAA-GG-SSSS</c> (dashes or spaces, used consistently) as a
/// whole number on its own, outside the ranges never issued. Nine bare digits are far too common
/// (order numbers, ZIP+4, phone fragments) so they count only after a context word such as "SSN"
/// or "social security".
/// </summary>
internal sealed class UsSsnDetector() : DlpDetector(DlpCategories.UsSsn)
{
    private static readonly ContextWords Context = new("ssn", "social security", "soc sec", "ss#");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
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
            var groupEnd = CharClass.SkipDigits(text, d);
            i = NumberRun.SkipChain(text, d);
            if (!NumberRun.StartsAlone(text, d))
            {
                continue;
            }

            sink.Tick();
            var first = groupEnd - d;
            if (first == 3 && groupEnd + 8 <= text.Length && CharClass.IsGroupSeparator(text[groupEnd]))
            {
                var sep = text[groupEnd];
                var g = groupEnd + 1;
                if (IsDigits(text, g, 2) && text[g + 2] == sep && IsDigits(text, g + 3, 4))
                {
                    var end = g + 7;
                    if (NumberRun.EndsAlone(text, end)
                        && SsnRules.IsValid(Value(text, d, 3), Value(text, g, 2), Value(text, g + 3, 4)))
                    {
                        sink.Add(d, end);
                    }
                }
            }
            else if (first == 9 && NumberRun.EndsAlone(text, groupEnd)
                && SsnRules.IsValid(Value(text, d, 3), Value(text, d + 3, 2), Value(text, d + 5, 4))
                && Context.AnyBefore(text, d))
            {
                sink.Add(d, groupEnd);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        // "AAA-GG-SSSS" plus the two characters that decide whether the run goes on.
        var run = CharClass.TrailingRunStart(text, NumberRun.IsRunChar, 14);
        return CharClass.FirstInRange(text, run, CharClass.IsDigit);
    }

    private static bool IsDigits(ReadOnlySpan<char> text, int start, int count)
    {
        if (start + count > text.Length)
        {
            return false;
        }

        foreach (var c in text.Slice(start, count))
        {
            if (!CharClass.IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Value(ReadOnlySpan<char> text, int start, int count)
    {
        var value = 0;
        foreach (var c in text.Slice(start, count))
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
