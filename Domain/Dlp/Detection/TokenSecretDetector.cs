using System.Buffers;
using System.Text;
using Synapse.Dlp.Engine;
using Synapse.Dlp.Normalization;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Provider API keys and tokens (<see cref="TokenFormats"/>): found with one vectorised search for
/// all prefixes. A key ends where its token ends, and its body must have the format's real shape;
/// it may start the token or be the token's tail (<c>xAKIAZ3XQ7RTY5UVW2ABC</c>: a letter written
/// before a key does not hide it, the shape decides); published example values
/// (<see cref="PublishedExamples"/>) are not keys. A token that only shares a prefix — truncated,
/// over-long, a placeholder — is not a match.
/// </summary>
internal sealed class TokenSecretDetector : DlpDetector
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    // (prefix, format), longest prefix first: "sk-ant-api03-" is tried before "sk-".
    private readonly (string Prefix, TokenFormat Format)[] _byPrefix;
    private readonly SearchValues<string> _prefixes;
    private readonly int _maxLength;

    // The first letters of the prefixes: where else a key cannot begin (look-alikes aside).
    private readonly SearchValues<char> _firstLetters;

    public TokenSecretDetector()
        : base(DlpCategories.Secret)
    {
        _byPrefix = [.. TokenFormats.All.SelectMany(f => f.Prefixes.Select(p => (p, f))).OrderByDescending(e => e.p.Length)];
        _prefixes = SearchValues.Create(SearchStems(_byPrefix.Select(e => e.Prefix)), StringComparison.Ordinal);
        _maxLength = TokenFormats.All.Max(f => f.MaxLength);
        _firstLetters = SearchValues.Create(string.Concat(_byPrefix.Select(e => e.Prefix[0]).Distinct()));
    }

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        while (i < text.Length)
        {
            var found = text[i..].IndexOfAny(_prefixes);
            if (found < 0)
            {
                return;
            }

            var p = i + found;
            var tokenEnd = TokenEnd(text, p);
            i = tokenEnd;
            sink.Tick();
            var start = p > 0 && CharClass.IsTokenChar(text[p - 1])
                ? KeyAtTail(text, p, tokenEnd, sink)
                : Match(text[p..tokenEnd]) is not null ? p : KeyAtTail(text, p + 1, tokenEnd, sink);
            if (start >= 0)
            {
                sink.Add(start, tokenEnd);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        // Look-alike letters count as token characters here: "ghр" may still become "ghр_…", which
        // the confusables fold turns into a key once its prefix is complete.
        // A key may be a token's tail, so every start in the trailing run may begin one.
        var run = CharClass.TrailingRunStart(text, IsTokenOrLookAlike, _maxLength + 1);
        for (var k = run; k < text.Length; k++)
        {
            if (CouldBeginKey(text[k..]))
            {
                return k;
            }
        }

        return text.Length;
    }

    private bool CouldBeginKey(ReadOnlySpan<char> token)
    {
        if (!_firstLetters.Contains(token[0]) && ConfusableLetters.For(token[0]).Length == 0)
        {
            return false;
        }

        foreach (var (prefix, format) in _byPrefix)
        {
            if (SecretPrefixFold.CouldBegin(token, prefix))
            {
                return true;
            }

            if (token.StartsWith(prefix, StringComparison.Ordinal) && token.Length - prefix.Length <= format.MaxBody
                && !token[prefix.Length..].ContainsAnyExcept(TokenChars))
            {
                return true;
            }
        }

        return false;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var token = text[start..end];
        var why = new StringBuilder();
        foreach (var (prefix, format) in _byPrefix)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal) && format.Accepts(prefix, token[prefix.Length..]))
            {
                why.Append(format.Name).Append(" (").Append(prefix).Append("): ").Append(token.Length - prefix.Length).Append("-character body; ");
                format.Accepts(prefix, token[prefix.Length..], why);
                return new DlpExplanation(format.Id, why.ToString());
            }
        }

        return base.Explain(text, start, end);
    }

    /// <summary>
    /// The start of a key at or after <paramref name="p"/> that is the tail of its token (which ends
    /// at <paramref name="tokenEnd"/>): "xAKIA…", "task-…", "sk-sk-sk-…", or a token that starts
    /// with one prefix and ends with a key. Only the last <c>_maxLength</c> characters can hold one,
    /// so the token is passed over in one step whatever its length; -1 when there is none.
    /// </summary>
    private int KeyAtTail(ReadOnlySpan<char> text, int p, int tokenEnd, CandidateSink sink)
    {
        var k = Math.Max(p, tokenEnd - _maxLength);
        while (k < tokenEnd)
        {
            var found = text[k..tokenEnd].IndexOfAny(_prefixes);
            if (found < 0)
            {
                return -1;
            }

            var q = k + found;
            sink.Tick();
            if (Match(text[q..tokenEnd]) is not null && IsClassBoundary(text[q - 1], text[q..tokenEnd]))
            {
                return q;
            }

            k = q + 1;
        }

        return -1;
    }

    /// <summary>
    /// Whether <paramref name="before"/> cannot be part of <paramref name="key"/>: it is of a kind
    /// (lower-case letter, capital, digit, <c>_</c> or <c>-</c>) the key never holds — the lower-case
    /// <c>x</c> before an AWS key id of capitals and digits. A key whose own characters include the
    /// kind before it is not told apart from a longer token (the tail of a base64 blob that happens
    /// to read <c>AIza…</c>), so it is no match.
    /// </summary>
    private static bool IsClassBoundary(char before, ReadOnlySpan<char> key)
    {
        var kinds = 0;
        foreach (var c in key)
        {
            kinds |= Kind(c);
        }

        return (kinds & Kind(before)) == 0;

        static int Kind(char c) => char.IsAsciiLetterLower(c) ? 1 : char.IsAsciiLetterUpper(c) ? 2 : char.IsAsciiDigit(c) ? 4 : 8;
    }

    /// <summary>The format whose shape the whole token has, or null.</summary>
    private TokenFormat? Match(ReadOnlySpan<char> token)
    {
        if (PublishedExamples.Contains(token))
        {
            return null;
        }

        foreach (var (prefix, format) in _byPrefix)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal) && format.Accepts(prefix, token[prefix.Length..]))
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>
    /// What the vectorised search looks for: the prefixes with every one that extends a shorter
    /// one dropped (<c>sk-proj-</c> is found as <c>sk-</c>), and families that differ only after
    /// their third character (<c>xoxb-</c>, <c>xoxp-</c>, …) searched by that common start. Every
    /// prefix begins with a stem, and <see cref="Match"/> checks the full prefixes, so the matches
    /// are the same; a smaller set keeps the search fast on text with no keys at all.
    /// </summary>
    private static string[] SearchStems(IEnumerable<string> prefixes)
    {
        var stems = prefixes
            .Select(p => p.StartsWith("xox", StringComparison.Ordinal) ? "xox" : p)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return [.. stems.Where(p => !stems.Any(q => q != p && p.StartsWith(q, StringComparison.Ordinal)))];
    }

    private static int TokenEnd(ReadOnlySpan<char> text, int start)
    {
        var rest = text[start..].IndexOfAnyExcept(TokenChars);
        return rest < 0 ? text.Length : start + rest;
    }

    private static bool IsTokenOrLookAlike(char c) => CharClass.IsTokenChar(c) || ConfusableLetters.For(c).Length > 0;
}
