using System.Buffers;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Provider API keys and tokens (<see cref="TokenRules"/>): found with one vectorised search for all
/// prefixes; a key must start a token (not follow a letter, digit, <c>_</c> or <c>-</c>) and its body
/// must end where the token ends.
/// </summary>
internal sealed class TokenSecretDetector : DlpDetector
{
    private readonly IReadOnlyList<TokenRule> _rules;
    private readonly SearchValues<string> _prefixes;
    private readonly SearchValues<char>[] _notBody;
    private readonly int _maxLength;

    public TokenSecretDetector()
        : base(DlpCategories.Secret)
    {
        _rules = TokenRules.All;
        _prefixes = SearchValues.Create(_rules.Select(r => r.Prefix).ToArray(), StringComparison.Ordinal);
        _maxLength = _rules.Max(r => r.MaxLength);
        _notBody = _rules
            // Token runs are ASCII, so the complement only needs the ASCII range.
            .Select(r => SearchValues.Create(Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !r.IsBodyChar(c)).ToArray()))
            .ToArray();
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
            if (p > 0 && CharClass.IsTokenChar(text[p - 1]))
            {
                // Inside a longer token ("task-…", "sk-sk-sk-…"): skip the whole token.
                var rest = text[p..].IndexOfAnyExcept(TokenChars);
                i = rest < 0 ? text.Length : p + rest;
                continue;
            }

            sink.Tick();
            var best = 0;
            foreach (var rule in _rules)
            {
                if (text[p..].StartsWith(rule.Prefix, StringComparison.Ordinal))
                {
                    best = Math.Max(best, MatchEnd(text, p, rule));
                }
            }

            if (best > 0)
            {
                sink.Add(p, best);
                i = best;
            }
            else
            {
                i = p + 1;
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, CharClass.IsTokenChar, _maxLength + 1);
        if (run > 0 && CharClass.IsTokenChar(text[run - 1]))
        {
            return text.Length;
        }

        var token = text[run..];
        for (var r = 0; r < _rules.Count; r++)
        {
            var rule = _rules[r];
            if (rule.Prefix.AsSpan().StartsWith(token, StringComparison.Ordinal))
            {
                return run;
            }

            if (token.StartsWith(rule.Prefix, StringComparison.Ordinal)
                && token.Length - rule.Prefix.Length <= rule.MaxBody
                && !token[rule.Prefix.Length..].ContainsAny(_notBody[r]))
            {
                return run;
            }
        }

        return text.Length;
    }

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    private static int MatchEnd(ReadOnlySpan<char> text, int start, TokenRule rule)
    {
        var bodyStart = start + rule.Prefix.Length;
        var pos = bodyStart;
        bool upper = false, lower = false, digit = false;
        while (pos < text.Length && rule.IsBodyChar(text[pos]))
        {
            if (pos - bodyStart == rule.MaxBody)
            {
                return 0;
            }

            var c = text[pos++];
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
            digit |= char.IsAsciiDigit(c);
        }

        if (pos - bodyStart < rule.MinBody || (pos < text.Length && CharClass.IsTokenChar(text[pos])))
        {
            return 0;
        }

        if ((rule.NeedsMixedBody && !(upper && lower && digit)) || (rule.NeedsDigit && !digit))
        {
            return 0;
        }

        return pos;
    }
}
