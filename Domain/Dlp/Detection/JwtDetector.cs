using System.Buffers;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// JSON Web Tokens: <c>eyJ…</c> (base64url of <c>{"</c>) header, a dot, an <c>eyJ…</c> payload, a dot
/// and a signature that may be empty (<c>alg: none</c>). At most <see cref="DetectionLimits.MaxJwt"/>
/// characters in all.
/// </summary>
internal sealed class JwtDetector() : DlpDetector(DlpCategories.Secret)
{
    private const int MinSegment = 10;

    private static readonly SearchValues<char> JwtChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        while (i < text.Length)
        {
            var found = text[i..].IndexOf("eyJ", StringComparison.Ordinal);
            if (found < 0)
            {
                return;
            }

            var p = i + found;
            sink.Tick();
            if (p > 0 && JwtChars.Contains(text[p - 1]))
            {
                i = SkipRun(text, p);
                continue;
            }

            var end = MatchEnd(text, p);
            i = end > 0 ? end : SkipRun(text, p);
            if (end > 0)
            {
                sink.Add(p, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, JwtChars.Contains, DetectionLimits.MaxJwt + 1);
        if (run > 0 && JwtChars.Contains(text[run - 1]))
        {
            return text.Length;
        }

        return IsViable(text[run..]) ? run : text.Length;
    }

    /// <summary>End of the token starting at <paramref name="start"/>, or 0 if it is not a JWT.</summary>
    private static int MatchEnd(ReadOnlySpan<char> text, int start)
    {
        var limit = Math.Min(text.Length, start + DetectionLimits.MaxJwt + 1);
        var pos = start;
        for (var segment = 0; segment < 3; segment++)
        {
            var segmentStart = pos;
            while (pos < limit && CharClass.IsTokenChar(text[pos]))
            {
                pos++;
            }

            if (pos - start > DetectionLimits.MaxJwt)
            {
                return 0;
            }

            if (segment < 2)
            {
                var ok = pos - segmentStart >= MinSegment
                    && text[segmentStart..].StartsWith("eyJ", StringComparison.Ordinal)
                    && pos < text.Length && text[pos] == '.';
                if (!ok)
                {
                    return 0;
                }

                pos++;
            }
        }

        return pos < text.Length && CharClass.IsTokenChar(text[pos]) ? 0 : pos;
    }

    private static int SkipRun(ReadOnlySpan<char> text, int p)
    {
        var rest = text[p..].IndexOfAnyExcept(JwtChars);
        return rest < 0 ? text.Length : p + rest;
    }

    /// <summary>True while the trailing run could still become (or change) a JWT.</summary>
    private static bool IsViable(ReadOnlySpan<char> token)
    {
        if (token.Length <= 3)
        {
            return "eyJ".AsSpan().StartsWith(token, StringComparison.Ordinal);
        }

        if (!token.StartsWith("eyJ", StringComparison.Ordinal) || token.Length > DetectionLimits.MaxJwt)
        {
            return false;
        }

        var firstDot = token.IndexOf('.');
        if (firstDot < 0)
        {
            return true;
        }

        var payload = token[(firstDot + 1)..];
        return payload.Length < 3
            ? "eyJ".AsSpan().StartsWith(payload, StringComparison.Ordinal)
            : payload.StartsWith("eyJ", StringComparison.Ordinal);
    }
}
