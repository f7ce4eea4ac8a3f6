using System.Collections.Frozen;
using Synapse.Dlp.Detection;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// The confusables fold for the fixed prefixes of secret formats: where a token begins with a
/// secret prefix written partly in look-alike letters of other scripts (<c>ѕk-ant-</c> with a
/// Cyrillic dze, <c>АKIA</c>, <c>ghр_</c>, <c>еyJ</c>, <c>-----BEGIN RЅA PRIVATE KEY-----</c>), those
/// letters are rewritten, in place and one for one, to the ASCII letters they imitate, so the
/// detectors see the prefix and the offsets map back unchanged. Only prefixes are folded: the rest
/// of the text keeps its letters, so Cyrillic or Greek prose is not turned into ASCII words.
/// </summary>
internal static class SecretPrefixFold
{
    private const string PemDashes = "-----";

    // Longest first, so "sk-ant-api03-" is tried before "sk-".
    private static readonly string[] TokenPrefixes = [.. SecretPrefixes.Tokens.OrderByDescending(p => p.Length)];

    private static readonly int MaxPrefix = TokenPrefixes.Max(p => p.Length);

    private static readonly FrozenDictionary<char, string[]> ByFirstChar = TokenPrefixes
        .GroupBy(p => p[0])
        .ToFrozenDictionary(g => g.Key, g => g.ToArray());

    /// <summary>Folds look-alikes inside secret prefixes of <paramref name="text"/> (already normalised).</summary>
    public static void Apply(Span<char> text)
    {
        FoldPemHeaders(text);

        // Each possible token start is tried once, and only near a look-alike letter.
        var triedUpTo = -1;
        for (var j = 0; j < text.Length; j++)
        {
            if (text[j] < 128 || ConfusableLetters.For(text[j]).Length == 0)
            {
                continue;
            }

            for (var i = Math.Max(triedUpTo + 1, j - MaxPrefix + 1); i <= j; i++)
            {
                if (IsTokenStart(text, i) && TryFoldToken(text, i, out var end))
                {
                    triedUpTo = end - 1;
                    j = end - 1;
                    break;
                }

                triedUpTo = i;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="run"/> is <paramref name="prefix"/>, or a beginning of it, written
    /// with ASCII letters or their look-alikes: a stream that ends in such a run must hold it back.
    /// </summary>
    public static bool CouldBegin(ReadOnlySpan<char> run, string prefix)
    {
        if (run.Length > prefix.Length)
        {
            return false;
        }

        for (var k = 0; k < run.Length; k++)
        {
            if (!ConfusableLetters.Matches(run[k], prefix[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A key starts a token: nothing of <c>[A-Za-z0-9_-]</c> right before it (a JWT segment may follow a dot).</summary>
    private static bool IsTokenStart(ReadOnlySpan<char> text, int i) => i == 0 || !CharClass.IsTokenChar(text[i - 1]);

    private static bool TryFoldToken(Span<char> text, int start, out int end)
    {
        end = 0;
        var first = text[start];
        var firsts = first < 128 ? first.ToString() : ConfusableLetters.For(first);
        foreach (var f in firsts)
        {
            if (!ByFirstChar.TryGetValue(f, out var prefixes))
            {
                continue;
            }

            foreach (var prefix in prefixes)
            {
                if (start + prefix.Length <= text.Length && CouldBegin(text.Slice(start, prefix.Length), prefix)
                    && text.Slice(start, prefix.Length).ContainsAnyExceptInRange('\0', '\u007f'))
                {
                    prefix.AsSpan().CopyTo(text[start..]);
                    end = start + prefix.Length;
                    FoldJwtPayloadStart(text, end, prefix);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A JWT's payload segment begins with <c>eyJ</c> too: fold it after the header's dot.</summary>
    private static void FoldJwtPayloadStart(Span<char> text, int from, string prefix)
    {
        if (prefix != SecretPrefixes.Jwt)
        {
            return;
        }

        var pos = from;
        while (pos < text.Length && pos - from < DetectionLimits.MaxJwt && CharClass.IsTokenChar(text[pos]))
        {
            pos++;
        }

        if (pos + 1 + prefix.Length <= text.Length && text[pos] == '.' && CouldBegin(text.Slice(pos + 1, prefix.Length), prefix))
        {
            prefix.AsSpan().CopyTo(text[(pos + 1)..]);
        }
    }

    /// <summary>
    /// <c>-----BEGIN …-----</c> and <c>-----END …-----</c> lines: the words and the label (upper-case
    /// letters and spaces) are fixed text too, so look-alikes there are folded to capitals.
    /// </summary>
    private static void FoldPemHeaders(Span<char> text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf(PemDashes, StringComparison.Ordinal);
            if (found < 0)
            {
                return;
            }

            var pos = from + found + PemDashes.Length;
            from = pos;
            foreach (var word in (ReadOnlySpan<string>)[SecretPrefixes.PemBegin, SecretPrefixes.PemEnd])
            {
                if (pos + word.Length <= text.Length && CouldBegin(text.Slice(pos, word.Length), word))
                {
                    FoldLabel(text, pos, pos + word.Length);
                    break;
                }
            }
        }
    }

    private static void FoldLabel(Span<char> text, int wordStart, int labelStart)
    {
        var end = labelStart;
        while (end < text.Length && end - labelStart <= SecretPrefixes.MaxPemLabel && (IsLabelChar(text[end]) || Capital(text[end]) != '\0'))
        {
            end++;
        }

        if (!text[end..].StartsWith(PemDashes, StringComparison.Ordinal))
        {
            return;
        }

        for (var k = wordStart; k < end; k++)
        {
            if (text[k] >= 128)
            {
                text[k] = Capital(text[k]);
            }
        }
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == ' ';

    private static char Capital(char c)
    {
        foreach (var candidate in ConfusableLetters.For(c))
        {
            if (char.IsAsciiLetterUpper(candidate))
            {
                return candidate;
            }
        }

        return '\0';
    }
}
