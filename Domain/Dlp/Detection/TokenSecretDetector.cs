using System.Buffers;
using System.Text;
using Synapse.Dlp.Engine;
using Synapse.Dlp.Normalization;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Provider API keys and tokens (<see cref="TokenFormats"/>): found with one vectorised search for
/// all prefixes. A key must start a token (not follow a letter, digit, <c>_</c> or <c>-</c>) and end
/// where the token ends; its body must have the format's real shape; published example values
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

    public TokenSecretDetector()
        : base(DlpCategories.Secret)
    {
        _byPrefix = [.. TokenFormats.All.SelectMany(f => f.Prefixes.Select(p => (p, f))).OrderByDescending(e => e.p.Length)];
        _prefixes = SearchValues.Create(SearchStems(_byPrefix.Select(e => e.Prefix)), StringComparison.Ordinal);
        _maxLength = TokenFormats.All.Max(f => f.MaxLength);
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
            if (p > 0 && CharClass.IsTokenChar(text[p - 1]))
            {
                // Inside a longer token ("task-…", "sk-sk-sk-…"): the whole token was skipped.
                continue;
            }

            sink.Tick();
            if (Match(text[p..tokenEnd]) is not null)
            {
                sink.Add(p, tokenEnd);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        // Look-alike letters count as token characters here: "ghр" may still become "ghр_…", which
        // the confusables fold turns into a key once its prefix is complete.
        var run = CharClass.TrailingRunStart(text, IsTokenOrLookAlike, _maxLength + 1);
        if (run > 0 && CharClass.IsTokenChar(text[run - 1]))
        {
            return text.Length;
        }

        var token = text[run..];
        foreach (var (prefix, format) in _byPrefix)
        {
            if (SecretPrefixFold.CouldBegin(token, prefix))
            {
                return run;
            }

            if (token.StartsWith(prefix, StringComparison.Ordinal) && token.Length - prefix.Length <= format.MaxBody
                && !token[prefix.Length..].ContainsAnyExcept(TokenChars))
            {
                return run;
            }
        }

        return text.Length;
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
