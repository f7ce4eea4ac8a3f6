
namespace Synapse.Dlp.Validation;

/// <summary>The Luhn (mod 10) check every payment card number carries.</summary>
internal static class Luhn
{
    /// <summary>True when the digits (values 0–9, not characters) pass the check.</summary>
    public static bool IsValid(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i];
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }
}
