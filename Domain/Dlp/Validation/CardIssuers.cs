namespace Synapse.Dlp.Validation;

/// <summary>
/// Issuer identification number ranges (ISO/IEC 7812 IINs as listed for each scheme in the
/// "Payment card number" reference table) and the number lengths each scheme issues. A Luhn-valid
/// number outside these (order numbers starting with 7 or 0, 16 digits starting with 1, …) is not a
/// card.
/// </summary>
internal static class CardIssuers
{
    public const int MinDigits = 13;
    public const int MaxDigits = 19;

    private static readonly CardIssuer[] Issuers =
    [
        new("Visa", 4, 4, 1, [13, 16, 19]),
        new("Mastercard", 51, 55, 2, [16]),
        new("Mastercard", 2221, 2720, 4, [16]),
        new("American Express", 34, 34, 2, [15]),
        new("American Express", 37, 37, 2, [15]),
        new("Diners Club", 300, 305, 3, [14, 15, 16, 17, 18, 19]),
        new("Diners Club", 3095, 3095, 4, [14, 15, 16, 17, 18, 19]),
        new("Diners Club", 36, 36, 2, [14, 15, 16, 17, 18, 19]),
        new("Diners Club", 38, 39, 2, [14, 15, 16, 17, 18, 19]),
        new("JCB", 3528, 3589, 4, [16, 17, 18, 19]),
        new("China T-Union", 31, 31, 2, [19]),
        new("Discover", 6011, 6011, 4, [16, 17, 18, 19]),
        new("Discover", 644, 649, 3, [16, 17, 18, 19]),
        new("Discover", 65, 65, 2, [16, 17, 18, 19]),
        new("UnionPay", 62, 62, 2, [16, 17, 18, 19]),
        new("Maestro", 50, 50, 2, [13, 14, 15, 16, 17, 18, 19]),
        new("Maestro", 56, 58, 2, [13, 14, 15, 16, 17, 18, 19]),
        new("Maestro", 6304, 6304, 4, [13, 14, 15, 16, 17, 18, 19]),
        new("Maestro", 6759, 6759, 4, [13, 14, 15, 16, 17, 18, 19]),
        new("Maestro", 6761, 6763, 4, [13, 14, 15, 16, 17, 18, 19]),
        new("Mir", 2200, 2204, 4, [16, 17, 18, 19]),
        new("BORICA", 2205, 2205, 4, [16]),
        new("UATP", 1, 1, 1, [15]),
        new("RuPay", 60, 60, 2, [16]),
        new("RuPay", 81, 82, 2, [16]),
        new("RuPay", 508, 508, 3, [16]),
        new("RuPay", 353, 353, 3, [16]),
        new("RuPay", 356, 356, 3, [16]),
        new("GPN", 1946, 1946, 4, [16, 18, 19]),
        new("GPN", 60, 63, 2, [16, 18, 19]),
        new("InterPayment", 636, 636, 3, [16, 17, 18, 19]),
        new("InstaPayment", 637, 639, 3, [16]),
        new("Troy", 9792, 9792, 4, [16]),
        new("Verve", 506099, 506198, 6, [16, 18, 19]),
        new("Verve", 507865, 507964, 6, [16, 18, 19]),
        new("Verve", 650002, 650027, 6, [16, 18, 19]),
        new("UzCard", 8600, 8600, 4, [16]),
        new("UzCard", 5614, 5614, 4, [16]),
        new("Humo", 9860, 9860, 4, [16]),
        new("Napas", 9704, 9704, 4, [16, 19]),
    ];

    // Which four-digit beginnings some issuer can start with: a one-lookup early exit for the detector.
    private static readonly bool[] KnownFirst4 = BuildFirst4();

    // The issuers whose ranges start with each first digit, most specific (longest prefix) first.
    private static readonly CardIssuer[][] ByFirstDigit = [.. Enumerable.Range(0, 10).Select(d => Issuers
        .Where(i => i.Low / Pow10(i.PrefixLength - 1) <= d && i.High / Pow10(i.PrefixLength - 1) >= d)
        .OrderByDescending(i => i.PrefixLength)
        .ToArray())];

    // For each first digit, a bit per number length some issuer starting with that digit uses.
    private static readonly int[] LengthsByFirstDigit = [.. ByFirstDigit.Select(issuers => issuers.SelectMany(i => i.Lengths).Aggregate(0, (mask, n) => mask | (1 << n)))];

    /// <summary>Whether some issuer whose numbers start with <paramref name="firstDigit"/> uses <paramref name="length"/> digits: a cheap test before Luhn.</summary>
    public static bool IsPlausibleLength(byte firstDigit, int length) => (LengthsByFirstDigit[firstDigit] & (1 << length)) != 0;

    /// <summary>Whether the first four digits can begin a card of any supported length (a cheap early exit).</summary>
    public static bool IsKnownPrefix(ReadOnlySpan<byte> first4) =>
        KnownFirst4[(first4[0] * 1000) + (first4[1] * 100) + (first4[2] * 10) + first4[3]];

    public static bool IsKnown(ReadOnlySpan<byte> digits) => Find(digits) is not null;

    /// <summary>The scheme that issues numbers of this length with this prefix, or null.</summary>
    public static string? Find(ReadOnlySpan<byte> digits)
    {
        var n = digits.Length;
        if (n < MinDigits || n > MaxDigits)
        {
            return null;
        }

        // The most specific range wins: Discover's 6011 before GPN's 60.
        Span<int> prefixes = stackalloc int[7];
        for (var length = 1; length <= 6; length++)
        {
            prefixes[length] = (prefixes[length - 1] * 10) + digits[length - 1];
        }

        foreach (var issuer in ByFirstDigit[digits[0]])
        {
            var prefix = prefixes[issuer.PrefixLength];
            if (prefix >= issuer.Low && prefix <= issuer.High && (issuer.LengthMask & (1 << n)) != 0)
            {
                return issuer.Name;
            }
        }

        return null;
    }

    private static bool[] BuildFirst4()
    {
        var known = new bool[10000];
        for (var p = 0; p < 10000; p++)
        {
            foreach (var issuer in Issuers)
            {
                // Compare the issuer's range with the four digits at the issuer's own precision.
                var shift = issuer.PrefixLength - 4;
                var covered = shift <= 0
                    ? p / Pow10(-shift) >= issuer.Low && p / Pow10(-shift) <= issuer.High
                    : p >= issuer.Low / Pow10(shift) && p <= issuer.High / Pow10(shift);
                if (covered)
                {
                    known[p] = true;
                    break;
                }
            }
        }

        return known;
    }

    private static int Pow10(int exponent)
    {
        var value = 1;
        for (var k = 0; k < exponent; k++)
        {
            value *= 10;
        }

        return value;
    }

    private sealed record CardIssuer(string Name, int Low, int High, int PrefixLength, int[] Lengths)
    {
        public int LengthMask { get; } = Lengths.Aggregate(0, (mask, n) => mask | (1 << n));
    }
}
