using System.Text;

namespace Synapse.Tests.Dlp;

/// <summary>Adversarial inputs for the engine; the benchmark project compiles this same file.</summary>
internal static class HostileInput
{
    public static readonly string[] Kinds =
        ["digits", "spaced-digits", "begin-no-end", "ey-repeated", "eyJ-repeated", "email-chain", "at-signs", "colons", "sk-repeated", "zero-width-digits", "dotted-digits", "plus-digits",
         "html-digit-refs", "percent-spaces", "unknown-entities", "backslash-digits", "bracketed-words", "json-brackets", "ampersands", "open-brackets", "high-surrogates",
         "letter-digits", "glued-iban-heads", "glued-ninos", "glued-aws-heads", "glued-cards"];

    public static string Create(string kind, int length)
    {
        var unit = kind switch
        {
            "digits" => "4111111111111111",
            "spaced-digits" => "4 1 1 1 ",
            "begin-no-end" => "-----BEGIN RSA PRIVATE KEY-----\nMIIE",
            "ey-repeated" => "ey",
            "eyJ-repeated" => "eyJ",
            "email-chain" => "a@a.a",
            "at-signs" => "a.b@",
            "colons" => "1:a:",
            "sk-repeated" => "sk-A1b",
            "zero-width-digits" => "4\u200B1\u200B",
            "dotted-digits" => "1.2.",
            "plus-digits" => "+1 2",
            "html-digit-refs" => "4&#49;&#32;",
            "percent-spaces" => "41%201",
            "unknown-entities" => "&zz;",
            "backslash-digits" => "\\u00341",
            "bracketed-words" => "a [at] b [dot] ",
            "json-brackets" => "{\"a\":[(1)]}",
            "ampersands" => "&",
            "open-brackets" => " [",
            "high-surrogates" => "\uD835",
            "letter-digits" => "a1",
            "glued-iban-heads" => "xGB82",
            "glued-ninos" => "xAB123456",
            "glued-aws-heads" => "xAKIA",
            "glued-cards" => "a4111 1111 ",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var builder = new StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, length);
    }
}
