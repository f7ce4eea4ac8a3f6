
namespace Synapse.Dlp.Validation;

/// <summary>
/// Issuer identification number ranges and the lengths each issuer uses. A Luhn-valid number
/// outside these (order numbers starting with 1, 7, 8, 9 or 0, for instance) is not a card.
/// </summary>
internal static class CardIssuers
{
    /// <summary>Whether the first four digits can begin a card of any supported length (a cheap early exit).</summary>
    public static bool IsKnownPrefix(ReadOnlySpan<byte> first4)
    {
        var p2 = (first4[0] * 10) + first4[1];
        var p3 = (p2 * 10) + first4[2];
        var p4 = (p3 * 10) + first4[3];
        return first4[0] switch
        {
            4 => true,
            5 => p2 is >= 50 and <= 58,
            2 => p4 is (>= 2221 and <= 2720) or (>= 2200 and <= 2204),
            3 => p2 is 34 or 37 or 36 or 38 or 39 || p3 is >= 300 and <= 305 || p4 == 3095 || p4 is >= 3528 and <= 3589,
            6 => p4 is 6011 or 6304 or 6759 or (>= 6761 and <= 6763) || p2 is 62 or 65 || p3 is >= 644 and <= 649,
            _ => false,
        };
    }

    public static bool IsKnown(ReadOnlySpan<byte> digits)
    {
        var n = digits.Length;
        if (n < 13 || n > 19)
        {
            return false;
        }

        var p2 = (digits[0] * 10) + digits[1];
        var p3 = (p2 * 10) + digits[2];
        var p4 = (p3 * 10) + digits[3];
        return digits[0] switch
        {
            // Visa (incl. Electron).
            4 => n is 13 or 16 or 19,
            // Mastercard 51–55; Maestro 50, 56–58.
            5 => p2 is >= 51 and <= 55 ? n == 16 : p2 is 50 or (>= 56 and <= 58),
            // Mastercard 2221–2720; Mir 2200–2204.
            2 => (p4 is >= 2221 and <= 2720 && n == 16) || (p4 is >= 2200 and <= 2204 && n >= 16),
            // Amex 34/37; Diners 300–305, 3095, 36, 38, 39; JCB 3528–3589.
            3 => p2 is 34 or 37
                ? n == 15
                : (p3 is >= 300 and <= 305 || p4 == 3095 || p2 is 36 or 38 or 39)
                    ? n >= 14
                    : p4 is >= 3528 and <= 3589 && n >= 16,
            // Discover 6011, 644–649, 65; UnionPay 62; Maestro 6304, 6759, 6761–6763.
            6 => p4 is 6011 or 6304 or 6759 or (>= 6761 and <= 6763) || p2 is 62 or 65 || p3 is >= 644 and <= 649,
            _ => false,
        };
    }
}
