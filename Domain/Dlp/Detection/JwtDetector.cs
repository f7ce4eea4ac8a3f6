using System.Buffers;
using Synapse.Dlp.Engine;
using Synapse.Dlp.Normalization;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// JSON Web Tokens (JWS compact serialisation, RFC 7515 §7.1): <c>eyJ…</c> (base64url of <c>{"</c>)
/// header, a dot, an <c>eyJ…</c> payload, a dot and a signature, at most
/// <see cref="DetectionLimits.MaxJwt"/> characters in all, whose segments have a real JWT's structure
/// (<see cref="JwtShape"/>: JSON header with <c>alg</c>, JSON payload, a signature as long as the
/// algorithm's). Published example tokens (<see cref="PublishedExamples"/>) are not matches.
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
            var found = text[i..].IndexOf(SecretPrefixes.Jwt, StringComparison.Ordinal);
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

            var end = MatchEnd(text, p, out var firstDot, out var secondDot);
            i = end > 0 ? end : SkipRun(text, p);
            if (end > 0 && IsRealToken(text, p, firstDot, secondDot, end, out _))
            {
                sink.Add(p, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var run = CharClass.TrailingRunStart(text, IsJwtOrLookAlike, DetectionLimits.MaxJwt + 1);
        if (run > 0 && JwtChars.Contains(text[run - 1]))
        {
            return text.Length;
        }

        return IsViable(text[run..]) ? run : text.Length;
    }

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        MatchEnd(text, start, out var firstDot, out var secondDot);
        IsRealToken(text, start, firstDot, secondDot, end, out var algorithm);
        return new DlpExplanation(
            "secret.jwt",
            $"JSON Web Token: header decodes to JSON with alg {algorithm}, payload decodes to JSON, {end - secondDot - 1}-character signature as {algorithm} requires");
    }

    private static bool IsRealToken(ReadOnlySpan<char> text, int start, int firstDot, int secondDot, int end, out string algorithm)
    {
        algorithm = string.Empty;
        return !PublishedExamples.Contains(text[start..end])
            && JwtShape.IsValid(text[start..firstDot], text[(firstDot + 1)..secondDot], text[(secondDot + 1)..end], out algorithm);
    }

    /// <summary>End of the three-segment token starting at <paramref name="start"/>, or 0 if it is not shaped like a JWT.</summary>
    private static int MatchEnd(ReadOnlySpan<char> text, int start, out int firstDot, out int secondDot)
    {
        firstDot = secondDot = 0;
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
                    && text[segmentStart..].StartsWith(SecretPrefixes.Jwt, StringComparison.Ordinal)
                    && pos < text.Length && text[pos] == '.';
                if (!ok)
                {
                    return 0;
                }

                if (segment == 0)
                {
                    firstDot = pos;
                }
                else
                {
                    secondDot = pos;
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

    private static bool IsJwtOrLookAlike(char c) => JwtChars.Contains(c) || ConfusableLetters.For(c).Length > 0;

    /// <summary>True while the trailing run could still become (or change) a JWT.</summary>
    private static bool IsViable(ReadOnlySpan<char> token)
    {
        if (token.Length <= SecretPrefixes.Jwt.Length)
        {
            return token.Length > 0 && SecretPrefixFold.CouldBegin(token, SecretPrefixes.Jwt);
        }

        if (!token.StartsWith(SecretPrefixes.Jwt, StringComparison.Ordinal) || token.Length > DetectionLimits.MaxJwt)
        {
            return false;
        }

        var firstDot = token.IndexOf('.');
        if (firstDot < 0)
        {
            return true;
        }

        var payload = token[(firstDot + 1)..];
        return payload.Length < SecretPrefixes.Jwt.Length
            ? SecretPrefixFold.CouldBegin(payload, SecretPrefixes.Jwt)
            : payload.StartsWith(SecretPrefixes.Jwt, StringComparison.Ordinal);
    }
}
