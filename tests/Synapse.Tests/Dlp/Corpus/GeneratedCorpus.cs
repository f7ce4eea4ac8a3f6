using Synapse.Dlp;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Seeded, generated samples: positives of every category in several formats and evasion variants,
/// and hard negatives (checksum failures, invalid ranges, identifiers that merely look numeric).
/// </summary>
internal static class GeneratedCorpus
{
    private static readonly string[] Lead = ["Please use ", "Value: ", "Noted ", "see ", "(", "It is ", "\"", "=> "];
    private static readonly string[] Tail = [" today.", ", thanks.", ")", " in the form", "\"", ".", " please", ""];

    public static IEnumerable<CorpusSample> Create(SyntheticValues v)
    {
        var r = v.Random;
        string Wrap(string value) => Lead[r.Next(Lead.Length)] + value + Tail[r.Next(Tail.Length)];

        CorpusSample Positive(string source, string category, string value, string? lead = null)
        {
            var before = lead ?? Lead[r.Next(Lead.Length)];
            return new CorpusSample(source, before + value + Tail[r.Next(Tail.Length)], [new CorpusEntity(category, before.Length, value.Length)]);
        }

        CorpusSample Negative(string source, string text) => new(source, text, []);

        // Cards: issuers × formats × evasion variants.
        (string Prefix, int Length, int[] Groups)[] issuers =
        [
            ("4", 16, [4, 4, 4, 4]), ("4", 13, [4, 4, 5]), ("4", 19, [4, 4, 4, 4, 3]), ("51", 16, [4, 4, 4, 4]), ("55", 16, [4, 4, 4, 4]),
            ("2221", 16, [4, 4, 4, 4]), ("2720", 16, [4, 4, 4, 4]), ("34", 15, [4, 6, 5]), ("37", 15, [4, 6, 5]), ("6011", 16, [4, 4, 4, 4]),
            ("65", 16, [4, 4, 4, 4]), ("3528", 16, [4, 4, 4, 4]), ("36", 14, [4, 6, 4]), ("62", 16, [4, 4, 4, 4]), ("62", 19, [4, 4, 4, 4, 3]),
        ];
        for (var issuer = 0; issuer < issuers.Length; issuer++)
        {
            var (prefix, length, groups) = issuers[issuer];
            foreach (var variant in (int[])[issuer % 6, (issuer + 3) % 6])
            {
                var digits = v.Card(prefix, length);
                var value = variant switch
                {
                    0 => digits,
                    1 => Variants.Group(digits, groups),
                    2 => Variants.Group(digits, '-', groups),
                    3 => Variants.FullWidth(Variants.Group(digits, groups)),
                    4 => Variants.ZeroWidth(digits),
                    _ => Variants.UnicodeSeparators(Variants.Group(digits, '-', groups)),
                };
                yield return Positive("gen:card", DlpCategories.CreditCard, value, variant == 0 ? "card number " : null);

                // A number of the same shape with a wrong check digit (and no Luhn-valid card inside it).
                var broken = EvasionCorpus.BrokenCard(v, prefix, length);
                yield return Negative("gen:card-luhn", Wrap(variant % 2 == 0 ? broken : Variants.Group(broken, groups)));
            }
        }

        // Prefixes no scheme issues (UATP's 1 is 15 digits only; 8600, 81, 82, 9704, 9792, 9860 are avoided).
        foreach (var prefix in (string[])["7", "70", "72", "99", "03", "77", "990", "05", "71", "00"])
        {
            yield return Negative("gen:card-issuer", "Reference " + Variants.Group(v.Card(prefix, 16), 4, 4, 4, 4) + " was logged.");
        }

        // IBANs.
        (string Country, int Length)[] countries =
        [
            ("DE", 22), ("ES", 24), ("PL", 28), ("BE", 16), ("CH", 21), ("NO", 15), ("HU", 28), ("SI", 19),
        ];
        foreach (var (country, length) in countries)
        {
            var iban = v.Iban(country, length);
            yield return Positive("gen:iban", DlpCategories.Iban, Variants.Group(iban, Enumerable.Repeat(4, 9).ToArray()), "IBAN ");
            yield return Positive("gen:iban", DlpCategories.Iban, r.Next(2) == 0 ? iban : Variants.FullWidth(iban));
            var broken = iban[..^1] + (char)('0' + ((iban[^1] - '0' + 1 + r.Next(9)) % 10));
            yield return Negative("gen:iban-checksum", "Account " + Variants.Group(broken, Enumerable.Repeat(4, 9).ToArray()) + " was rejected.");
        }

        // SSNs.
        for (var i = 0; i < 8; i++)
        {
            var ssn = v.Ssn();
            var (value, lead) = (i % 6) switch
            {
                0 => (ssn, "SSN "),
                1 => (ssn.Replace('-', ' '), "social security number "),
                2 => (ssn.Replace("-", string.Empty, StringComparison.Ordinal), "SSN: "),
                3 => (Variants.FullWidth(ssn), null),
                4 => (Variants.ZeroWidth(ssn, '\u200D'), null),
                _ => (ssn, null),
            };
            yield return Positive("gen:ssn", DlpCategories.UsSsn, value, lead);
        }

        foreach (var invalid in (string[])["000-12-3456", "666-45-1234", "900-12-3456", "987-65-4321", "123-00-4567", "123-45-0000", "078-05-1120", "219-09-9999"])
        {
            yield return Negative("gen:ssn-invalid", "Employee record " + invalid + " failed validation.");
        }

        for (var i = 0; i < 4; i++)
        {
            yield return Negative("gen:ssn-bare", $"Order {v.Ssn().Replace("-", string.Empty, StringComparison.Ordinal)} shipped on time.");
        }

        // NINOs.
        for (var i = 0; i < 8; i++)
        {
            var nino = v.Nino();
            var value = (i % 4) switch
            {
                0 => nino,
                1 => $"{nino[..2]} {nino[2..4]} {nino[4..6]} {nino[6..8]} {nino[8]}",
                2 => Variants.FullWidth(nino),
                _ => Variants.ZeroWidth(nino),
            };
            yield return Positive("gen:nino", DlpCategories.UkNino, value, i % 3 == 0 ? "NI number " : null);
        }

        foreach (var prefix in (string[])["DA", "QQ", "VA", "AO", "BG", "NK", "TN", "ZZ"])
        {
            yield return Negative("gen:nino-prefix", $"Code {prefix}{v.Chars("0123456789", 6)}{"ABCD"[r.Next(4)]} is not allocated.");
        }

        // E-mail.
        string[] names = ["alice", "bob.smith", "c.o.n.t.a.c.t", "dev+ci", "j_doe", "ops-team", "x9", "first.last"];
        string[] domains = ["example.com", "example.org", "mail.example.net", "corp.example.co.uk", "example.io", "sub.example.dev"];
        for (var i = 0; i < 8; i++)
        {
            var email = names[r.Next(names.Length)] + r.Next(100) + "@" + domains[r.Next(domains.Length)];
            var value = (i % 5) switch
            {
                3 => Variants.FullWidth(email),
                4 => Variants.ZeroWidth(email, '\u2060'),
                _ => email,
            };
            yield return Positive("gen:email", DlpCategories.Email, value);
        }

        foreach (var text in (string[])["handle @team_lead in chat", "user@localhost only", "admin@intranet", "logo@3x.png", "foo@bar", "a@b.c", "@@@", "x @ y . z"])
        {
            yield return Negative("gen:email-neg", text);
        }

        // Phones.
        string[] phones =
        [
            "+1 212 555 0147", "+1-646-555-0199", "+44 7700 900461", "+44 (0)20 7946 0321", "+33 6 12 34 56 78", "+49 30 12345678", "+61 2 9876 5432",
            "+81 3-1234-5678", "+12125550147", "212.555.0163", "1 (646) 555-0101", "06 12 34 56 78", "089 12345678",
        ];
        for (var i = 0; i < phones.Length; i++)
        {
            var phone = phones[i];
            yield return i % 2 == 0
                ? Positive("gen:phone", DlpCategories.Phone, phone)
                : Positive("gen:phone", DlpCategories.Phone, i % 4 == 1 ? Variants.FullWidth(phone) : Variants.UnicodeSeparators(phone), "tel ");
        }

        foreach (var text in (string[])["2024-06-15 12:00", "10:30:45.123", "v1.2.3", "$1,234.56", "3+4=7", "#12345678", "1999-2004", "page 12 of 345", "score 21-18", "0.5 1.5 2.5", "12/25/2024", "batch 2024-11-05-0001"])
        {
            yield return Negative("gen:phone-neg", "Note: " + text + " recorded.");
        }

        // IP addresses.
        for (var i = 0; i < 5; i++)
        {
            yield return Positive("gen:ip", DlpCategories.IpAddress, $"{r.Next(1, 224)}.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}", "host ");
        }

        for (var i = 0; i < 4; i++)
        {
            var groups = Enumerable.Range(0, 8).Select(_ => r.Next(0x10000).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var value = i % 2 == 0 ? string.Join(':', groups) : $"2001:db8:{groups[2]}::{groups[7]}";
            yield return Positive("gen:ip", DlpCategories.IpAddress, value, "addr ");
        }

        for (var i = 0; i < 4; i++)
        {
            yield return Negative("gen:ip-version", $"Upgrade to version {r.Next(1, 20)}.{r.Next(10)}.{r.Next(10)}.{r.Next(1000)} now.");
        }

        // Secrets.
        string[] secretKinds = ["openai", "openai-service", "openai-admin", "openai-legacy", "anthropic", "anthropic-admin", "aws", "aws-session", "aws-sts-bearer", "github", "github-oauth", "github-server", "github-user", "github-refresh", "github-pat", "slack", "slack-user", "stripe", "stripe-restricted", "google", "jwt", "pem"];
        for (var k = 0; k < secretKinds.Length; k++)
        {
            var kind = secretKinds[k];
            var key = v.Generate(kind);

            // Every third kind hides a zero-width joiner; by position, so every run builds the same corpus.
            var zeroWidth = kind is not "pem" && k % 3 == 0;
            yield return Positive("gen:secret", DlpCategories.Secret, zeroWidth ? Variants.ZeroWidth(key, '\u200C') : key, "token=");
        }

        yield return Negative("gen:secret-neg", "Test key " + v.Generate("stripe-test") + " works only in the sandbox.");

        // Identifiers that are neither of the above.
        for (var i = 0; i < 5; i++)
        {
            var guidBytes = new byte[16];
            r.NextBytes(guidBytes);
            yield return Negative("gen:uuid", $"Request {new Guid(guidBytes)} failed with {r.Next(400, 600)}.");
            yield return Negative("gen:sha", $"Merged {v.Chars("0123456789abcdef", 40)} into main.");
            yield return Negative("gen:timestamp", $"Logged at {new DateTime(2020, 1, 1).AddSeconds(r.Next(150_000_000)):yyyy-MM-ddTHH:mm:ssZ} by the job.");
            yield return Negative("gen:order", $"Order ORD-{r.Next(2019, 2026)}-{r.Next(1_000_000):000000} and invoice {r.Next(10_000, 99_999)} are paid.");
        }
    }
}
