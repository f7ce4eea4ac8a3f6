using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Synthetic test values with the right shape and checksums: Luhn-valid card numbers on real issuer
/// prefixes, mod-97-valid IBANs, SSNs and NINOs in the valid ranges, and provider-shaped keys. Keys
/// are assembled at run time so no key-shaped literal is ever committed.
/// </summary>
internal sealed class SyntheticValues(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Base62 = Upper + Lower + Digits;

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public string Generate(string kind) => kind switch
    {
        "openai" => "sk" + "-proj-" + Mixed(Base62 + "_-", 120),
        "openai-legacy" => "sk" + "-" + Mixed(Base62, 48),
        "anthropic" => "sk" + "-ant-api03-" + Mixed(Base62 + "_-", 93) + "AA",
        "aws" => "AK" + "IA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        "aws-session" => "AS" + "IA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        "github" => "gh" + "p_" + Mixed(Base62, 36),
        "github-oauth" => "gh" + "o_" + Mixed(Base62, 36),
        "github-server" => "gh" + "s_" + Mixed(Base62, 36),
        "github-pat" => "github" + "_pat_" + Mixed(Base62, 22) + "_" + Mixed(Base62, 59),
        "slack" => "xo" + "xb-" + Chars(Digits, 12) + "-" + Chars(Digits, 13) + "-" + Mixed(Base62, 24),
        "slack-user" => "xo" + "xp-" + Chars(Digits, 12) + "-" + Chars(Digits, 12) + "-" + Chars(Digits, 13) + "-" + Chars("0123456789abcdef", 32),
        "stripe" => "sk" + "_live_" + Mixed(Base62, 24),
        "stripe-restricted" => "rk" + "_live_" + Mixed(Base62, 24),
        "stripe-test" => "sk" + "_test_" + Mixed(Base62, 24),
        "google" => "AI" + "za" + Mixed(Base62 + "_-", 35),
        "jwt" => Jwt(),
        "pem" => Pem(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown synthetic value kind."),
    };

    public string Chars(string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Random characters that include an upper-case letter, a lower-case letter and a digit.</summary>
    public string Mixed(string alphabet, int length)
    {
        var chars = Chars(alphabet, length - 3).ToCharArray().ToList();
        chars.Insert(_random.Next(chars.Count), Upper[_random.Next(26)]);
        chars.Insert(_random.Next(chars.Count), Lower[_random.Next(26)]);
        chars.Insert(_random.Next(chars.Count), Digits[_random.Next(10)]);
        return new string([.. chars]);
    }

    public string Jwt()
    {
        var header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        var payload = Base64Url($"{{\"sub\":\"{_random.Next(100000)}\",\"name\":\"Test User\",\"iat\":{1700000000 + _random.Next(1000000)}}}");
        var signature = new byte[32];
        _random.NextBytes(signature);
        return header + "." + payload + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public string Pem()
    {
        var label = new[] { "RSA ", "EC ", "OPENSSH ", "" }[_random.Next(4)] + "PRIVATE KEY";
        var body = new byte[48 * 6];
        _random.NextBytes(body);
        var base64 = Convert.ToBase64String(body);
        var lines = Enumerable.Range(0, (base64.Length + 63) / 64).Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - (i * 64))));
        return "-----BEGIN " + label + "-----\n" + string.Join("\n", lines) + "\n-----END " + label + "-----";
    }

    /// <summary>A Luhn-valid number of <paramref name="length"/> digits starting with <paramref name="prefix"/>.</summary>
    public string Card(string prefix, int length)
    {
        var digits = prefix + Chars(Digits, length - prefix.Length - 1);
        return digits + LuhnCheckDigit(digits);
    }

    public static char LuhnCheckDigit(string payload)
    {
        var sum = 0;
        var doubled = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = payload[i] - '0';
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

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>An IBAN for <paramref name="country"/> with a random numeric BBAN and correct check digits.</summary>
    public string Iban(string country, int length)
    {
        var bban = Chars(Digits, length - 4);
        var remainder = 0;
        foreach (var c in bban + country + "00")
        {
            remainder = char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return $"{country}{98 - remainder:00}{bban}";
    }

    public string Ssn()
    {
        int area;
        do
        {
            area = _random.Next(1, 900);
        }
        while (area == 666);
        return $"{area:000}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}";
    }

    public string Nino()
    {
        const string first = "ABCEGHJKLMNOPRSTWXYZ";
        const string second = "ABCEGHJKLMNPRSTWXYZ";
        string prefix;
        do
        {
            prefix = $"{first[_random.Next(first.Length)]}{second[_random.Next(second.Length)]}";
        }
        while (prefix is "BG" or "GB" or "KN" or "NK" or "NT" or "TN" or "ZZ");
        return $"{prefix}{Chars(Digits, 6)}{"ABCD"[_random.Next(4)]}";
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
