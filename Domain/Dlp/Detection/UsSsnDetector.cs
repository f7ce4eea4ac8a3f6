using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// US Social Security numbers written <c>AAA-GG-SSSS</c> with the same separator twice — a dash,
/// space, dot, slash or any other <see cref="DigitSeparator"/> run (<c>536.90.4399</c>,
/// <c>536 - 90 - 4399</c>, <c>536\n90\n4399</c>) — as a whole number on its own, outside the ranges
/// never issued (<see cref="SsnRules"/>). Nine bare digits are far too common (order numbers, ZIP+4,
/// phone fragments) so they count only after a context word such as "SSN" or "social security".
/// </summary>
internal sealed class UsSsnDetector() : DlpDetector(DlpCategories.UsSsn)
{
    private static readonly ContextWords Context = new("ssn", "social security", "soc sec", "ss#");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        for (var d = CharClass.DigitAtOrAfter(text, i); d >= 0; d = CharClass.DigitAtOrAfter(text, i))
        {
            var groupEnd = CharClass.SkipDigits(text, d);
            i = NumberRun.SkipChain(text, d);
            if (!NumberRun.StartsAlone(text, d))
            {
                continue;
            }

            sink.Tick();
            var first = groupEnd - d;
            var separator = first == 3 ? DigitSeparator.Length(text, groupEnd) : 0;
            if (separator > 0)
            {
                var g = groupEnd + separator;
                if (IsDigits(text, g, 2) && g + 2 + separator + 4 <= text.Length
                    && text.Slice(g + 2, separator).SequenceEqual(text.Slice(groupEnd, separator))
                    && IsDigits(text, g + 2 + separator, 4))
                {
                    var serial = g + 2 + separator;
                    var end = serial + 4;
                    if (NumberRun.EndsAlone(text, end) && !IbanChain.Continues(text, d)
                        && SsnRules.IsValid(Value(text, d, 3), Value(text, g, 2), Value(text, serial, 4)))
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
        // "AAA-GG-SSSS" with the longest separators, plus the two characters that decide whether the run goes on.
        var run = CharClass.TrailingRunStart(text, c => CharClass.IsDigit(c) || DigitSeparator.IsSeparatorChar(c), 9 + (2 * DigitSeparator.MaxLength) + 2);
        return CharClass.FirstInRange(text, run, CharClass.IsDigit);
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var bare = !text[start..end].ContainsAnyExceptInRange('0', '9');
        var separator = bare ? string.Empty : DigitSeparator.Punctuation(text, start + 3, (end - start - 9) / 2) switch
        {
            '\0' => ", groups split by whitespace",
            var c => $", groups split by '{c}'",
        };
        return new DlpExplanation(
            bare ? "us_ssn.bare_with_context" : "us_ssn.grouped",
            bare
                ? "nine digits after a context word (SSN, social security), area, group and serial in issued ranges"
                : $"AAA-GG-SSSS with one separator used twice{separator}; area not 000, 666 or 900–999, group not 00, serial not 0000");
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
