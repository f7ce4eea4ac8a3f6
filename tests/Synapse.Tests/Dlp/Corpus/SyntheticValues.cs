using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Synthetic test values with the right shape and checksums: Luhn-valid card numbers on real issuer
/// prefixes, mod-97-valid IBANs, SSNs and NINOs in the valid ranges, and keys with each provider's
/// documented shape (OpenAI's T3BlbkFJ marker, GitHub's CRC32 checksum, JWT segments that decode to
/// JSON). Keys are assembled at run time so no key-shaped literal is ever committed.
/// </summary>
internal sealed class SyntheticValues(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Base62 = Upper + Lower + Digits;

    // base64 of "OpenAI": every OpenAI secret key carries it.
    private const string OpenAiMarker = "T3Blbk" + "FJ";

    // GitHub's checksum alphabet: base62 in digit, upper, lower order.
    private const string GitHubBase62 = Digits + Upper + Lower;

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public string Generate(string kind) => kind switch
    {
        "openai" => "sk" + "-proj-" + Mixed(Base62 + "_-", 74) + OpenAiMarker + Mixed(Base62 + "_-", 74),
        "openai-service" => "sk" + "-svcacct-" + Mixed(Base62 + "_-", 74) + OpenAiMarker + Mixed(Base62 + "_-", 74),
        "openai-admin" => "sk" + "-admin-" + Mixed(Base62 + "_-", 58) + OpenAiMarker + Mixed(Base62 + "_-", 58),
        "openai-legacy" => "sk" + "-" + Mixed(Base62, 20) + OpenAiMarker + Mixed(Base62, 20),
        "anthropic-admin" => "sk" + "-ant-admin01-" + Mixed(Base62 + "_-", 93) + "AA",
        "anthropic" => "sk" + "-ant-api03-" + Mixed(Base62 + "_-", 93) + "AA",
        "aws" => "AK" + "IA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        "aws-session" => "AS" + "IA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        "github" => "gh" + "p_" + GitHubBody(),
        "github-oauth" => "gh" + "o_" + GitHubBody(),
        "github-server" => "gh" + "s_" + GitHubBody(),
        "github-user" => "gh" + "u_" + GitHubBody(),
        "github-refresh" => "gh" + "r_" + GitHubBody(),
        "aws-sts-bearer" => "AB" + "IA" + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
        "github-pat" => "github" + "_pat_" + Mixed(Base62, 22) + "_" + Mixed(Base62, 59),
        "slack" => "xo" + "xb-" + Chars(Digits, 12) + "-" + Chars(Digits, 13) + "-" + Mixed(Base62, 24),
        "slack-user" => "xo" + "xp-" + Chars(Digits, 12) + "-" + Chars(Digits, 12) + "-" + Chars(Digits, 13) + "-" + Chars("0123456789abcdef", 32),
        "stripe" => "sk" + "_live_" + Mixed(Base62, 24),
        "stripe-restricted" => "rk" + "_live_" + Mixed(Base62, 24),
        "stripe-test" => "sk" + "_test_" + Mixed(Base62, 24),
        "google" => "AI" + "za" + Mixed(Base62 + "_-", 35),
        "synapse" => "sy" + "n-" + Mixed(Base62 + "_-", 43),
        "synapse-admin" => "syn" + "adm-" + Chars("0123456789abcdef", 48),
        "jwt" => Jwt(),
        "pem" => Pem(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown synthetic value kind."),
    };

    /// <summary>
    /// 30 random base62 characters and their checksum: CRC32 (IEEE) of those 30 ASCII characters in 6
    /// base62 digits, as GitHub's token format announcement describes. Computed here independently of
    /// the engine's checker.
    /// </summary>
    public string GitHubBody()
    {
        var random = Mixed(Base62, 30);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(Encoding.ASCII.GetBytes(random));
        var checksum = new char[6];
        for (var k = 5; k >= 0; k--)
        {
            checksum[k] = GitHubBase62[(int)(crc % 62)];
            crc /= 62;
        }

        return random + new string(checksum);
    }

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
