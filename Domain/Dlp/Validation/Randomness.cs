namespace Synapse.Dlp.Validation;

/// <summary>
/// Whether the random part of a key looks random: placeholders (<c>xxxx…</c>, <c>abcabc…</c>,
/// <c>1234567890…</c>, <c>AAAA…</c>) fail, generated keys pass. Two tests on ASCII text:
/// <list type="bullet">
/// <item>Shannon entropy of the character frequencies of at least 0.5 × log2(min(n, k)) bits per
/// character, for n characters drawn from an alphabet of k. A uniformly random string sits near
/// log2(min(n, k)) (a 16-character AWS body ≈ 3.5 of at most 4; a 36-character GitHub body ≈ 4.7 of
/// 5.2); a placeholder sits far below.</item>
/// <item>No run of L or more predictable steps, where a step is predictable when a character equals
/// its predecessor or is next to it in ASCII order (<c>aaaa</c>, <c>abcd</c>, <c>4321</c>). L is the
/// smallest run a random string of that length and alphabet shows with probability ≤ 10⁻⁸
/// (n · (3/k)^L ≤ 10⁻⁸): 8 for a 93-character base64url body, 14 for a 32-character hex one.</item>
/// <item>No repetition: a body that equals itself shifted by a period p (<c>1234567890123…</c>,
/// <c>deadbeefdeadbeef</c>) is a pattern when a random body would repeat that much with probability
/// ≤ 10⁻⁸ (n · k^−(n−p) ≤ 10⁻⁸).</item>
/// </list>
/// Property tests draw 20,000 random bodies per key format and require every one to pass.
/// </summary>
internal static class Randomness
{
    private const double EntropyShare = 0.5;
    private const double RunProbability = 1e-8;

    /// <summary>True when <paramref name="body"/> (ASCII) passes both tests for an alphabet of <paramref name="alphabetSize"/> characters.</summary>
    public static bool LooksRandom(ReadOnlySpan<char> body, int alphabetSize) =>
        body.Length > 0 && BitsPerChar(body) >= Floor(body.Length, alphabetSize) && LongestPredictableRun(body) < RunLimit(body.Length, alphabetSize)
        && !Repeats(body, alphabetSize);

    /// <summary>
    /// Whether every character of <paramref name="body"/> equals the one a period before it, for a
    /// period that leaves enough repeated characters that chance would not (n · k^−repeated ≤ 10⁻⁸).
    /// </summary>
    public static bool Repeats(ReadOnlySpan<char> body, int alphabetSize)
    {
        var repeated = (int)Math.Ceiling(Math.Log(body.Length / RunProbability) / Math.Log(Math.Max(2, alphabetSize)));
        for (var period = 1; period <= body.Length - repeated; period++)
        {
            if (body[period..].SequenceEqual(body[..^period]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entropy floor in bits per character for <paramref name="length"/> characters of an alphabet of <paramref name="alphabetSize"/>.</summary>
    public static double Floor(int length, int alphabetSize) => EntropyShare * Math.Log2(Math.Min(length, alphabetSize));

    /// <summary>Shannon entropy of the character frequencies, in bits per character.</summary>
    public static double BitsPerChar(ReadOnlySpan<char> body)
    {
        Span<int> counts = stackalloc int[128];
        foreach (var c in body)
        {
            counts[c & 127]++;
        }

        var bits = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / body.Length;
                bits -= p * Math.Log2(p);
            }
        }

        return bits;
    }

    /// <summary>The longest run of consecutive predictable steps (equal or adjacent characters).</summary>
    public static int LongestPredictableRun(ReadOnlySpan<char> body)
    {
        var longest = 0;
        var run = 0;
        for (var i = 1; i < body.Length; i++)
        {
            run = Math.Abs(body[i] - body[i - 1]) <= 1 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>The shortest predictable run a random body of this size shows with probability ≤ 10⁻⁸.</summary>
    public static int RunLimit(int length, int alphabetSize)
    {
        var step = Math.Min(1.0, 3.0 / alphabetSize);
        var limit = 1;
        while (length * Math.Pow(step, limit) > RunProbability && limit < length)
        {
            limit++;
        }

        return limit;
    }
}
