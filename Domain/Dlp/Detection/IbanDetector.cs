using Synapse.Dlp.Engine;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// IBANs (ISO 13616): a country code with an IBAN, two check digits and exactly the country's length
/// of letters and digits (SWIFT IBAN registry), compact or with separators between characters
/// (usually groups of four; any <see cref="DigitSeparator"/> run — spaces, dashes, dots, line
/// breaks), passing the ISO 7064 mod-97-10 check. An IBAN-shaped token with a bad checksum is
/// nothing at all: not an IBAN, and (see <see cref="IbanChain"/>) not a card or a phone number.
/// A letter or digit written against either end does not hide one (<c>xGB82WEST…</c>, with the
/// country code in capitals when glued on the left): the country's fixed length and the checksum
/// decide, one wrong value in 97 passing by chance.
/// </summary>
internal sealed class IbanDetector() : DlpDetector(DlpCategories.Iban)
{
    // 34 characters and 30 separator runs at most (the first four characters are written together).
    private const int MaxSpan = IbanRules.MaxLength + ((IbanRules.MaxLength - 4) * DigitSeparator.MaxLength);

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        Span<char> compact = stackalloc char[IbanRules.MaxLength];
        var i = from + 2;
        while (i < text.Length)
        {
            // The check digits sit at d, d + 1; the country code just before them.
            var d = CharClass.NextDigit(text, i);
            if (d < 0)
            {
                return;
            }

            i = NumberRun.SkipChain(text, d);
            var s = d - 2;
            if (s < from || !char.IsAsciiLetter(text[s]) || !char.IsAsciiLetter(text[s + 1]) || !MayStart(text, s))
            {
                continue;
            }

            sink.Tick();
            var length = IbanRules.LengthFor(text[s], text[s + 1]);
            if (length == 0)
            {
                continue;
            }

            var end = Read(text, s, compact[..length]);
            if (end > 0 && IbanRules.HasValidChecksum(compact[..length]))
            {
                sink.Add(s, end);
                i = end;
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        for (var k = Math.Max(0, text.Length - MaxSpan - 1); k < text.Length; k++)
        {
            if (char.IsAsciiLetter(text[k]) && MayStart(text, k) && IsUnfinished(text, k))
            {
                return k;
            }
        }

        return text.Length;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var length = IbanRules.LengthFor(text[start], text[start + 1]);
        return new DlpExplanation(
            "iban.mod97",
            $"country {char.ToUpperInvariant(text[start])}{char.ToUpperInvariant(text[start + 1])} with its registered length of {length} characters, mod-97 check valid");
    }

    /// <summary>
    /// An IBAN may start at <paramref name="s"/>: standing alone, or glued on its left with its country
    /// code in capitals, as IBANs are written (<c>xGB82WEST…</c>). Lower-case letters inside a hex
    /// digest (<c>…9a2de82f…</c>) would otherwise offer a candidate every few dozen characters, and
    /// one in 97 passes the checksum.
    /// </summary>
    private static bool MayStart(ReadOnlySpan<char> text, int s) =>
        s == 0 || !CharClass.IsWordChar(text[s - 1])
        || (char.IsAsciiLetterUpper(text[s]) && (s + 1 == text.Length || char.IsAsciiLetterUpper(text[s + 1])));

    /// <summary>
    /// Reads exactly <c>compact.Length</c> IBAN characters from <paramref name="start"/>: the first four
    /// together, then each optionally after one separator run. Returns the end, or 0 if the shape is wrong.
    /// </summary>
    private static int Read(ReadOnlySpan<char> text, int start, Span<char> compact)
    {
        if (start + 4 > text.Length || !CharClass.IsDigit(text[start + 3]))
        {
            return 0;
        }

        text.Slice(start, 4).CopyTo(compact);
        var pos = start + 4;
        for (var n = 4; n < compact.Length; n++)
        {
            pos += DigitSeparator.Length(text, pos, alnumAfter: true);

            if (pos >= text.Length || !char.IsAsciiLetterOrDigit(text[pos]))
            {
                return 0;
            }

            compact[n] = text[pos++];
        }

        return pos;
    }

    /// <summary>True when the text from <paramref name="k"/> to the end could still become, or still change, an IBAN.</summary>
    private static bool IsUnfinished(ReadOnlySpan<char> text, int k)
    {
        var rest = text[k..];
        if (rest.Length == 1)
        {
            return true;
        }

        if (!char.IsAsciiLetter(rest[1]))
        {
            return false;
        }

        var length = IbanRules.LengthFor(rest[0], rest[1]);
        if (length == 0)
        {
            return false;
        }

        var count = 2;
        var pos = 2;
        var separatorRun = 0;
        while (pos < rest.Length)
        {
            var c = rest[pos++];
            if (DigitSeparator.IsSeparatorChar(c) && count >= 4 && separatorRun < DigitSeparator.MaxLength && count < length)
            {
                separatorRun++;
                continue;
            }

            var ok = count < 4 ? CharClass.IsDigit(c) : char.IsAsciiLetterOrDigit(c);
            if (!ok || count == length)
            {
                // Either the shape broke, or the IBAN is complete and this character settles its end.
                return false;
            }

            separatorRun = 0;
            count++;
        }

        return true;
    }
}
