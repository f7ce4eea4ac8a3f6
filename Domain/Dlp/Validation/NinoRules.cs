
namespace Synapse.Dlp.Validation;

/// <summary>
/// UK National Insurance number prefixes (HMRC): the first letter is not D, F, I, Q, U or V; the
/// second is not D, F, I, O, Q, U or V; BG, GB, KN, NK, NT, TN and ZZ are never allocated. The
/// suffix is A, B, C or D.
/// </summary>
internal static class NinoRules
{
    public static bool IsValidPrefix(char first, char second)
    {
        first = char.ToUpperInvariant(first);
        second = char.ToUpperInvariant(second);
        if (!char.IsAsciiLetterUpper(first) || !char.IsAsciiLetterUpper(second))
        {
            return false;
        }

        if ("DFIQUV".Contains(first, StringComparison.Ordinal) || "DFIOQUV".Contains(second, StringComparison.Ordinal))
        {
            return false;
        }

        return (first, second) switch
        {
            ('B', 'G') or ('G', 'B') or ('K', 'N') or ('N', 'K') or ('N', 'T') or ('T', 'N') or ('Z', 'Z') => false,
            _ => true,
        };
    }

    public static bool IsValidSuffix(char c) => char.ToUpperInvariant(c) is >= 'A' and <= 'D';
}
