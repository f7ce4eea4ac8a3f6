using System.Globalization;
using System.Text;
using Synapse.Dlp;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Seeded samples for the classes issues 9 and 15 name: identifiers written with other separators,
/// combining marks and invisible fillers between digits, look-alike letters in secret prefixes;
/// the valid variants that were missed (IPv6 forms, internationalised e-mail, more card issuers,
/// dotted SSNs, phone numbers after an international one, trunk-0 national numbers); and their hard
/// negatives (placeholders, truncated and malformed keys, bare PEM headers, CSV rows, decimals,
/// dates, checksum-broken IBANs).
/// </summary>
internal static class EvasionCorpus
{
    private static readonly string[] CardSeparators = [".", "/", "_", " - ", "  ", "\n", "\r\n", " / ", "|", " . ", "\t", "*"];
    private static readonly string[] ListSeparators = [",", ", ", ";", ":"];
    private static readonly string[] Marks = ["\u0336", "\u0301", "\uFE0F\u20E3", "\u0332", "\u20DD"];
    private static readonly string[] Fillers = ["\u3164", "\u115F", "\u1160", "\uFFA0", "\u034F", "\u180B", "\uFE00", "\U000E0041"];
    private static readonly (string Prefix, int Length)[] CardShapes =
        [("4", 16), ("51", 16), ("37", 15), ("6011", 16), ("62", 19), ("1", 15), ("9792", 16), ("36", 14)];

    public static IEnumerable<CorpusSample> Create(SyntheticValues v)
    {
        var r = v.Random;
        CorpusSample Positive(string source, string category, string value, string lead = "value ", string tail = " noted.") =>
            new(source, lead + value + tail, [new CorpusEntity(category, lead.Length, value.Length)]);
        CorpusSample Negative(string source, string text) => new(source, text, []);

        // Cards: every separator, list punctuation on real groups, marks and fillers between digits.
        for (var shape = 0; shape < CardShapes.Length; shape++)
        {
            var (prefix, length) = CardShapes[shape];
            var card = v.Card(prefix, length);
            var groups = length switch { 15 => new[] { 4, 6, 5 }, 14 => [4, 6, 4], 19 => [4, 4, 4, 4, 3], _ => [4, 4, 4, 4] };
            for (var k = 0; k < 4; k++)
            {
                var separator = CardSeparators[((shape * 4) + k) % CardSeparators.Length];
                yield return Positive("evasion:card-separator", DlpCategories.CreditCard, Join(card, groups, separator), "card ");
            }

            var list = ListSeparators[shape % ListSeparators.Length];
            yield return Positive("evasion:card-list-punctuation", DlpCategories.CreditCard, Join(card, groups, list), "pay with ");

            yield return Positive("evasion:card-mark", DlpCategories.CreditCard, Interleave(card, Marks[r.Next(Marks.Length)]));
            yield return Positive("evasion:card-filler", DlpCategories.CreditCard, Interleave(card, Fillers[r.Next(Fillers.Length)]));
            yield return Positive("evasion:card-braille-blank", DlpCategories.CreditCard, Join(card, groups, "\u2800"));
            yield return Positive("evasion:card-bullet", DlpCategories.CreditCard, Join(card, groups, "\u2022"));
            var broken = BrokenCard(v, prefix, length);

            yield return Negative("evasion:card-separator-luhn", $"Reference {Join(broken, groups, CardSeparators[r.Next(CardSeparators.Length)])} was logged.");
        }

        // Hard negatives for separators: CSV rows and lists of small numbers, decimals, versions, dates.
        for (var i = 0; i < 7; i++)
        {
            var digits = Enumerable.Range(0, 16).Select(_ => r.Next(10).ToString(CultureInfo.InvariantCulture)).ToArray();
            digits[0] = "4";
            yield return Negative("evasion:csv-digits", "row: " + string.Join(",", digits));
            yield return Negative("evasion:csv-spaced", "scores " + string.Join(", ", digits.Chunk(2).Select(c => string.Concat(c))));
            yield return Negative("evasion:decimals", "values " + string.Join("; ", Enumerable.Range(0, 6).Select(_ => $"{r.Next(1, 10)}.{r.Next(10)}")));
            yield return Negative("evasion:version", $"Upgrade from v4.{r.Next(10)}.{r.Next(10)}.{r.Next(100)} to v5.{r.Next(10)}.{r.Next(10)}.{r.Next(100)} today.");
            yield return Negative("evasion:dates", $"Booked {r.Next(1, 29):00}.{r.Next(1, 13):00}.20{r.Next(10, 30)} {r.Next(8, 18):00}:00 and {r.Next(1, 29):00}/{r.Next(1, 13):00}/20{r.Next(10, 30)} {r.Next(10, 18)} {r.Next(10, 59)}.");
        }

        // SSNs with other separators, dots, marks.
        foreach (var separator in (string[])[".", " / ", "\n", "_", "  ", " . ", "|"])
        {
            var ssn = v.Ssn().Split('-');
            yield return Positive("evasion:ssn-separator", DlpCategories.UsSsn, string.Join(separator, ssn), "ssn on file: ");
        }

        for (var i = 0; i < 5; i++)
        {
            yield return Positive("evasion:ssn-dots", DlpCategories.UsSsn, v.Ssn().Replace('-', '.'), "Her SSN is ");
            yield return Positive("evasion:ssn-mark", DlpCategories.UsSsn, Interleave(v.Ssn(), Marks[r.Next(Marks.Length)]), "number ");
        }

        yield return Negative("evasion:ssn-mixed-separators", "Ticket 536-90.4399 was split by two different separators.");

        // IBANs and NINOs with other separators.
        foreach (var separator in (string[])[".", "\n", "  ", " - ", "/"])
        {
            var iban = v.Iban("DE", 22);
            yield return Positive("evasion:iban-separator", DlpCategories.Iban, Join(iban, [4, 4, 4, 4, 4, 2], separator), "IBAN ");
            var nino = v.Nino();
            yield return Positive("evasion:nino-separator", DlpCategories.UkNino, $"{nino[..2]}{separator}{nino[2..4]}{separator}{nino[4..6]}{separator}{nino[6..8]}{separator}{nino[8]}", "NI ");
        }

        // Bad-checksum IBANs are nothing at all: not an IBAN, a card or a phone number.
        (string Country, int Length)[] countries = [("BE", 16), ("GB", 22), ("MT", 31), ("IL", 23), ("AE", 23), ("PT", 25), ("CR", 22), ("SA", 24)];
        foreach (var (country, length) in countries)
        {
            var iban = v.Iban(country, length);
            var broken = iban[..4] + "0" + iban[5..];
            if (broken == iban)
            {
                broken = iban[..4] + "1" + iban[5..];
            }

            yield return Negative("evasion:iban-bad-checksum", $"The transfer to {Join(broken, Enumerable.Repeat(4, 9).ToArray(), " ")} bounced.");
        }

        // Look-alike letters in secret prefixes.
        foreach (var kind in (string[])["openai", "anthropic", "aws", "github", "github-pat", "slack", "stripe", "google", "jwt"])
        {
            for (var i = 0; i < 2; i++)
            {
                yield return Positive("evasion:confusable-prefix", DlpCategories.Secret, Confuse(v.Generate(kind), r, all: i == 1), "key ");
            }
        }

        yield return Positive("evasion:confusable-pem", DlpCategories.Secret, ConfusePem(v.Pem()), "here: ");
        yield return Negative("evasion:cyrillic-prose", "Ѕкажи, пожалуйста, где найти ѕк-документы и АКІА-отчёт за прошлый год?");
        yield return Negative("evasion:greek-prose", "Η ΑΚΙΑ και το ΕΥJ είναι συντομογραφίες στο κείμενο, όχι κλειδιά.");

        // Placeholders, truncated and malformed keys.
        foreach (var kind in (string[])["openai", "anthropic", "aws", "github", "github-pat", "slack", "stripe", "google"])
        {
            var key = v.Generate(kind);
            yield return Negative("shape:truncated", $"The key starts {key[..(key.Length * 2 / 3)]} and the rest was cut.");
            if (kind is not ("slack" or "stripe"))
            {
                // Formats of one exact length; Slack and Stripe lengths vary by design.
                yield return Negative("shape:one-short", $"Pasted {key[..^1]} by mistake.");
                yield return Negative("shape:one-long", $"Pasted {key}A by mistake.");
            }
        }

        foreach (var length in (int[])[0, 5, 20, 60, 93, 120])
        {
            yield return Negative("shape:anthropic-prefix-only", $"Our keys look like sk" + $"-ant-{new string('x', length)} in the docs.");
        }

        foreach (var letter in "axXZ0")
        {
            yield return Negative("shape:github-repeated", $"token gh" + $"p_{new string(letter, 36)} is a placeholder.");
            yield return Negative("shape:aws-repeated", $"id AK" + $"IA{new string(char.ToUpperInvariant(letter) == '0' ? 'A' : char.ToUpperInvariant(letter), 16)} is a placeholder.");
        }

        yield return Negative("shape:github-bad-checksum", "token gh" + "p_" + v.Mixed("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36) + " was made up.");
        yield return Negative("shape:slack-placeholder", "Set SLACK_TOKEN to xo" + "xp-1234567890 in the example.");
        yield return Negative("shape:pem-header-only", "Start the file with -----BEGIN RSA PRIVATE" + " KEY----- and end it with the END line.");
        yield return Negative("shape:pem-placeholder", "-----BEGIN PRIVATE" + " KEY-----\n...\n-----END PRIVATE KEY-----");
        yield return Negative("shape:pem-placeholder", "-----BEGIN OPENSSH PRIVATE" + " KEY-----\n<your key here>\n-----END OPENSSH PRIVATE KEY-----");
        yield return Negative("shape:pem-low-entropy", "-----BEGIN RSA PRIVATE" + " KEY-----\n" + new string('A', 64) + "\n" + new string('A', 64) + "\n-----END RSA PRIVATE KEY-----");
        yield return Negative("shape:jwt-not-json", "Bearer eyJ" + "hbGciOiJub3Rqc29uIn0x.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBsYWNlaG9sZGVy");
        yield return Negative("shape:jwt-placeholder-signature", "Bearer eyJ" + "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.signature");

        // Valid variants that were missed.
        for (var i = 0; i < 5; i++)
        {
            var hex = Enumerable.Range(0, 4).Select(_ => r.Next(0x10000).ToString("x", CultureInfo.InvariantCulture)).ToArray();
            yield return Positive("variant:ipv6-trailing-compressed", DlpCategories.IpAddress, $"2001:db8:{hex[0]}::", "network ", ".");
            yield return Positive("variant:ipv6-zone", DlpCategories.IpAddress, $"fe80::{hex[1]}:{hex[2]}%eth{i}", "link ");
            yield return Positive("variant:ipv6-prefix", DlpCategories.IpAddress, $"2001:db8:{hex[3]}::/{48 + i}", "route ");
            yield return Negative("variant:cpp-scope", $"Call Abc::Def and cafe::face in C++ (case {i}).");
        }

        string[] localParts = ["maría", "jürgen", "ολγα", "иван", "李雷", "ราม"];
        string[] domains = ["correo.es", "bücher.de", "παράδειγμα.ελ", "пример.рф", "例子.中国", "xn--80akhbyknj4f.xn--p1ai"];
        for (var i = 0; i < 8; i++)
        {
            yield return Positive("variant:idn-email", DlpCategories.Email, $"{localParts[i % localParts.Length]}{i}@{domains[(i + 1) % domains.Length]}", "mail ");
        }

        for (var i = 0; i < 5; i++)
        {
            yield return Positive("variant:uatp", DlpCategories.CreditCard, v.Card("1", 15), "airline card ");
            yield return Negative("variant:long-ids-starting-with-1", $"Tweet {v.Card("17", 18)} and order {v.Card("17", 16)} were logged.");
        }

        string[] international = ["+44 20 7946 0958", "+1 415 555 2671", "+33 1 23 45 67 89", "+49 30 1234567"];
        string[] national = ["020 7946 0959", "(415) 555-2672", "01 23 45 67 90", "030 1234568"];
        for (var i = 0; i < international.Length; i++)
        {
            var text = $"Call {international[i]} or {national[i]} after five.";
            var second = text.IndexOf(national[i], StringComparison.Ordinal);
            yield return new CorpusSample("variant:phone-after-international", text,
                [new CorpusEntity(DlpCategories.Phone, 5, international[i].Length), new CorpusEntity(DlpCategories.Phone, second, national[i].Length)]);
        }

        foreach (var number in (string[])["09-7625400", "03-6123456", "09 123 4567", "0151 23456789", "06 1234 5678", "0170 1234567", "02 9876 5432", "0412 345 678"])
        {
            yield return Positive("variant:trunk-zero", DlpCategories.Phone, number, "reach me on ");
        }
    }

    /// <summary>A number of the issuer's shape whose check digit is wrong, with no Luhn-valid card inside it.</summary>
    public static string BrokenCard(SyntheticValues v, string prefix, int length)
    {
        while (true)
        {
            var card = v.Card(prefix, length);
            var broken = card[..^1] + (char)('0' + ((card[^1] - '0' + 1 + v.Random.Next(9)) % 10));
            if (!HasValidPrefix(broken))
            {
                return broken;
            }
        }
    }

    /// <summary>A Luhn-valid stretch of 13 or more digits from the start: still a card inside a longer number.</summary>
    private static bool HasValidPrefix(string digits)
    {
        for (var n = 13; n <= digits.Length; n++)
        {
            if (SyntheticValues.LuhnCheckDigit(digits[..(n - 1)]) == digits[n - 1])
            {
                return true;
            }
        }

        return false;
    }

    private static string Join(string value, int[] groups, string separator)
    {
        var builder = new StringBuilder();
        var pos = 0;
        foreach (var size in groups)
        {
            if (pos >= value.Length)
            {
                break;
            }

            if (pos > 0)
            {
                builder.Append(separator);
            }

            var take = Math.Min(size, value.Length - pos);
            builder.Append(value, pos, take);
            pos += take;
        }

        if (pos < value.Length)
        {
            builder.Append(separator).Append(value, pos, value.Length - pos);
        }

        return builder.ToString();
    }

    /// <summary>Puts <paramref name="insert"/> after every character but the last.</summary>
    private static string Interleave(string value, string insert) =>
        string.Join(insert, value.Select(c => c.ToString()));

    /// <summary>Replaces one letter of the key's fixed prefix (or all of them) with a look-alike of another script.</summary>
    private static string Confuse(string key, Random r, bool all)
    {
        var prefixEnd = Synapse.Dlp.Detection.SecretPrefixes.Tokens.Where(p => key.StartsWith(p, StringComparison.Ordinal)).Max(p => p.Length);
        var chars = key.ToCharArray();
        var candidates = Enumerable.Range(0, Math.Max(1, prefixEnd)).Where(i => LookAlike(chars[i]) != chars[i]).ToList();
        foreach (var i in all ? candidates : candidates.Count == 0 ? [] : [candidates[r.Next(candidates.Count)]])
        {
            chars[i] = LookAlike(chars[i]);
        }

        return new string(chars);
    }

    private static string ConfusePem(string pem) =>
        pem.Replace("BEGIN", "BЕGIN", StringComparison.Ordinal).Replace("PRIVATE", "PRІVАTE", StringComparison.Ordinal);

    /// <summary>Cyrillic and Greek look-alikes (Unicode confusables.txt) of the letters secret prefixes use.</summary>
    private static char LookAlike(char c) => c switch
    {
        'a' => '\u0430', 'e' => '\u0435', 'o' => '\u043E', 'p' => '\u0440', 'c' => '\u0441', 'x' => '\u0445', 'y' => '\u0443',
        's' => '\u0455', 'i' => '\u0456', 'j' => '\u0458', 'h' => '\u04BB', 'A' => '\u0410', 'B' => '\u0412', 'E' => '\u0415',
        'K' => '\u041A', 'I' => '\u0406', 'S' => '\u0405', 'J' => '\u0408', 'T' => '\u03A4', _ => c,
    };
}
