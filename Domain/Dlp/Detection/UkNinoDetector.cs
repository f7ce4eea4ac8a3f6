using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// UK National Insurance numbers: an allocated two-letter prefix, six digits (optionally in pairs
/// split by single spaces or dashes) and a suffix A–D, e.g. <c>AB 12 34 56 C</c>. Without the suffix
/// the shape is common in product and order codes, so it counts only after a context word
/// ("national insurance", "NINO", "NI number").
/// </summary>
internal sealed class UkNinoDetector() : DlpDetector(DlpCategories.UkNino)
{
    private const int MaxLength = 13;

    private static readonly ContextWords Context = new("national insurance", "nino", "ni number", "ni no");

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
            i = NumberRun.SkipChain(text, d);
            var s = d >= 1 && CharClass.IsGroupSeparator(text[d - 1]) ? d - 3 : d - 2;
            if (s < from || !NinoRules.IsValidPrefix(text[s], text[s + 1]) || (s > 0 && CharClass.IsWordChar(text[s - 1])))
            {
                continue;
            }

            sink.Tick();
            var end = Match(text, d, out var hasSuffix);
            if (end > 0 && (hasSuffix || Context.AnyBefore(text, s)))
            {
                sink.Add(s, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        for (var k = Math.Max(0, text.Length - MaxLength - 1); k < text.Length; k++)
        {
            if (char.IsAsciiLetter(text[k]) && (k == 0 || !CharClass.IsWordChar(text[k - 1])) && IsUnfinished(text[k..]))
            {
                return k;
            }
        }

        return text.Length;
    }

    /// <summary>Six digits in pairs from <paramref name="d"/>, then an optional suffix letter; returns the end or 0.</summary>
    private static int Match(ReadOnlySpan<char> text, int d, out bool hasSuffix)
    {
        hasSuffix = false;
        var pos = d;
        for (var pair = 0; pair < 3; pair++)
        {
            if (pair > 0 && pos < text.Length && CharClass.IsGroupSeparator(text[pos]))
            {
                pos++;
            }

            if (pos + 2 > text.Length || !CharClass.IsDigit(text[pos]) || !CharClass.IsDigit(text[pos + 1]))
            {
                return 0;
            }

            pos += 2;
        }

        if (pos < text.Length && CharClass.IsDigit(text[pos]))
        {
            return 0;
        }

        var suffix = pos < text.Length && CharClass.IsGroupSeparator(text[pos]) ? pos + 1 : pos;
        if (suffix < text.Length && NinoRules.IsValidSuffix(text[suffix])
            && (suffix + 1 == text.Length || !CharClass.IsWordChar(text[suffix + 1])))
        {
            hasSuffix = true;
            return suffix + 1;
        }

        return pos < text.Length && CharClass.IsWordChar(text[pos]) ? 0 : pos;
    }

    /// <summary>True while <paramref name="rest"/> is a proper prefix of some NINO, or a NINO whose end is not yet settled.</summary>
    private static bool IsUnfinished(ReadOnlySpan<char> rest)
    {
        // Shape: L L [sep] D D [sep] D D [sep] D D [sep] S, then one character to settle the end.
        var pos = 0;
        var step = 0;
        while (pos < rest.Length)
        {
            var c = rest[pos];
            switch (step)
            {
                case 0 or 1:
                    if (!char.IsAsciiLetter(c))
                    {
                        return false;
                    }

                    step++;
                    pos++;
                    break;
                case >= 2 and <= 7:
                    if (CharClass.IsGroupSeparator(c) && step % 2 == 0 && pos > 0 && !CharClass.IsGroupSeparator(rest[pos - 1]))
                    {
                        pos++;
                        break;
                    }

                    if (!CharClass.IsDigit(c))
                    {
                        return false;
                    }

                    step++;
                    pos++;
                    break;
                default:
                    // All six digits are in; a separator, a suffix letter or the settling character may follow.
                    return pos + 2 >= rest.Length;
            }
        }

        return true;
    }
}
