using System.Text;
using Synapse.Dlp;
using Synapse.Dlp.Validation;
using Synapse.Tests.Dlp.Corpus;
using Xunit;

namespace Synapse.Tests.Dlp;

/// <summary>
/// Secret formats from every side: genuine keys of each shape are all found (thousands of random
/// ones), and what only shares a prefix — placeholders, truncations, over-long or mistyped tokens,
/// published examples, bare PEM headers, malformed JWTs — is not.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SecretShapeTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    private static readonly string[] Kinds =
    [
        "openai", "openai-service", "openai-admin", "openai-legacy", "anthropic", "anthropic-admin", "aws", "aws-session", "aws-sts-bearer",
        "github", "github-oauth", "github-server", "github-user", "github-refresh", "github-pat", "slack", "slack-user", "stripe",
        "stripe-restricted", "google", "synapse", "synapse-admin", "jwt", "pem",
    ];

    public static TheoryData<string> AllKinds() => new(Kinds);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Scan_ThousandsOfGenuineKeysOfOneFormat_AreAllFound(string kind)
    {
        // A stable seed per kind: string.GetHashCode differs in every process, and a run must be repeatable.
        var values = new SyntheticValues(Array.IndexOf(Kinds, kind) + 1);
        var count = kind is "pem" or "jwt" ? 200 : kind is "slack-user" ? 20_000 : 2000;
        for (var i = 0; i < count; i++)
        {
            var key = values.Generate(kind);
            var finding = Assert.Single(Scanner.Scan($"key: {key} .").Findings);
            Assert.Equal((DlpCategories.Secret, 5, key.Length), (finding.Category, finding.Start, finding.Length));
        }
    }

    [Theory]
    [InlineData(16, 32)]
    [InlineData(30, 62)]
    [InlineData(24, 62)]
    [InlineData(32, 16)]
    [InlineData(48, 16)]
    [InlineData(35, 64)]
    [InlineData(43, 64)]
    [InlineData(93, 64)]
    [InlineData(74, 64)]
    public void Randomness_TwentyThousandUniformBodies_AllPass(int length, int alphabetSize)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var random = new Random(length * 1000 + alphabetSize);
        var body = new char[length];
        for (var round = 0; round < 20_000; round++)
        {
            for (var k = 0; k < length; k++)
            {
                body[k] = alphabet[random.Next(alphabetSize)];
            }

            Assert.True(Randomness.LooksRandom(body, alphabetSize), new string(body));
        }
    }

    [Theory]
    [InlineData("deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef", 16)]
    [InlineData("123456789012345678901234567890123456789012345678", 16)]
    [InlineData("Ab3xYq9Kz_Ab3xYq9Kz_Ab3xYq9Kz_Ab3xYq9Kz_Ab3", 64)]
    public void Randomness_ABodyThatRepeatsAPattern_IsNotRandom(string body, int alphabetSize)
    {
        // Each passes the entropy and run tests; only the repetition gives it away.
        Assert.True(Randomness.BitsPerChar(body) >= Randomness.Floor(body.Length, alphabetSize));
        Assert.True(Randomness.LongestPredictableRun(body) < Randomness.RunLimit(body.Length, alphabetSize));
        Assert.True(Randomness.Repeats(body, alphabetSize));
        Assert.False(Randomness.LooksRandom(body, alphabetSize));
    }

    [Fact]
    public void Scan_SlackUserTokensWithLongPredictableRunsInTheirHexSecret_AreFound()
    {
        // Genuine secrets a base62 judgement missed (8-step runs are common in 32 random hex digits).
        string[] secrets = ["e85339204dd964c9d5555566669c55e4", "89208e2edededcbc6f5b809ae68a81df", "1d76f72cfe54d3b2121000124aa3962d"];
        foreach (var secret in secrets)
        {
            var token = "xo" + "xp-206984551363-599042177862-5401165306637-" + secret;
            var finding = Assert.Single(Scanner.Scan($"key: {token} .").Findings);
            Assert.Equal((DlpCategories.Secret, 5, token.Length), (finding.Category, finding.Start, finding.Length));
        }

        Assert.Empty(Scanner.Scan("key: xo" + "xp-206984551363-599042177862-5401165306637-" + new string('0', 32) + " .").Findings);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Scan_EveryTruncationOfAGenuineKey_IsNotASecret(string kind)
    {
        if (kind is "pem" or "slack" or "slack-user" or "stripe" or "stripe-restricted" or "openai" or "openai-service")
        {
            // Variable-length formats (Slack, Stripe; OpenAI halves of 58 or 74): a shorter body can be
            // a valid key of its own. PEM has its own tests.
            return;
        }

        var key = new SyntheticValues(7).Generate(kind);
        for (var length = 1; length < key.Length; length++)
        {
            var cut = key[..length];
            Assert.DoesNotContain(Scanner.Scan($"starts {cut} and stops").Findings, f => f.Category == DlpCategories.Secret);
        }
    }

    [Theory]
    [InlineData("gh" + "p_", 36)]
    [InlineData("AK" + "IA", 16)]
    [InlineData("AI" + "za", 35)]
    [InlineData("sy" + "n-", 43)]
    [InlineData("syn" + "adm-", 48)]
    [InlineData("sk" + "-ant-api03-", 93)]
    [InlineData("sk" + "_live_", 24)]
    [InlineData("github" + "_pat_", 82)]
    public void Scan_PlaceholderBodies_AreNotSecrets(string prefix, int length)
    {
        string[] bodies =
        [
            new string('x', length), new string('X', length), new string('a', length), new string('0', length),
            string.Concat(Enumerable.Repeat("abc", length)).Substring(0, length),
            string.Concat(Enumerable.Repeat("1234567890", length)).Substring(0, length),
            string.Concat(Enumerable.Repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ", length)).Substring(0, length),
        ];
        foreach (var body in bodies)
        {
            var text = $"use {prefix}{body}{(prefix.StartsWith("sk-ant", StringComparison.Ordinal) ? "AA" : string.Empty)} here";
            Assert.Empty(Scanner.Scan(text).Findings);
        }
    }

    [Fact]
    public void Scan_AnySingleCharacterChangeOfAGitHubToken_FailsItsChecksum()
    {
        var values = new SyntheticValues(11);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (var round = 0; round < 20; round++)
        {
            var token = values.Generate("github");
            Assert.Single(Scanner.Scan(token).Findings);
            for (var position = 4; position < token.Length; position++)
            {
                var replacement = alphabet[(alphabet.IndexOf(token[position], StringComparison.Ordinal) + 1 + values.Random.Next(alphabet.Length - 1)) % alphabet.Length];
                var changed = token[..position] + replacement + token[(position + 1)..];
                Assert.Empty(Scanner.Scan(changed).Findings);
            }
        }
    }

    [Fact]
    public void GitHubChecksum_PublicTestTokens_AgreeWithThePublishedSuite()
    {
        // DataDog dd-sensitive-data-scanner, github_token_checksum.rs: valid and invalid test tokens.
        string[] valid = ["M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4", "HEEjXavM6wKtyhAUwDblMznMEhWyTt4XwY6f", "yk8LTIKF7M9SgRPBFzu7nkPQBBLcAa2aAbrx", "vKdQ4XtRZOBFd16YZEgyLKyQ8Cee4g2NJ0mT"];
        Assert.All(valid, body => Assert.True(GitHubTokenChecksum.IsValid(body), body));
        Assert.False(GitHubTokenChecksum.IsValid("M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V3"));
    }

    [Fact]
    public void Scan_PublishedExampleValues_AreNotSecrets()
    {
        Assert.NotEmpty(PublishedExamples.All);
        foreach (var example in PublishedExamples.All)
        {
            Assert.Empty(Scanner.Scan($"the docs show {example} as an example").Findings);
        }

        // Any AWS access key id in the documentation's EXAMPLE style.
        Assert.Empty(Scanner.Scan("AK" + "IAQRSTUVWXYEXAMPLE and AS" + "IAJKLMNOPQREXAMPLE").Findings);
    }

    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n<paste your key here>\n-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END EC PRIVATE KEY-----")]
    public void Scan_PemHeaderWithoutKeyMaterial_IsNotASecret(string pem) =>
        Assert.Empty(Scanner.Scan("config: " + pem + " done").Findings);

    [Fact]
    public void Scan_PemWithLowEntropyBody_IsNotASecret()
    {
        var body = string.Join("\n", Enumerable.Repeat(new string('A', 64), 6));
        Assert.Empty(Scanner.Scan($"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----").Findings);
    }

    [Fact]
    public void Scan_JsonEscapedPemKey_IsFoundWhole()
    {
        var pem = new SyntheticValues(5).Pem();
        var escaped = pem.Replace("\n", "\\n", StringComparison.Ordinal);
        var text = $"{{\"type\":\"service_account\",\"private_key\":\"{escaped}\\n\"}}";
        var finding = Assert.Single(Scanner.Scan(text).Findings);
        Assert.Equal(text.IndexOf("-----BEGIN", StringComparison.Ordinal), finding.Start);
        Assert.Equal(text.IndexOf("KEY-----\\n\"", StringComparison.Ordinal) + 8, finding.End);
    }

    [Theory]
    [InlineData("{\"alg\":\"HS256\"", "{\"sub\":\"1\"}", 32, false)]
    [InlineData("{\"alg\":\"HS256\"}", "{\"sub\":\"1\"}", 31, false)]
    [InlineData("{\"alg\":\"HS256\"}", "not json", 32, false)]
    [InlineData("{\"typ\":\"JWT\"}", "{\"sub\":\"1\"}", 32, false)]
    [InlineData("{\"alg\":\"HS256\"}", "{\"sub\":\"1\"}", 32, true)]
    [InlineData("{\"alg\":\"ES256\"}", "{\"sub\":\"1\"}", 64, true)]
    [InlineData("{\"alg\":\"RS256\"}", "{\"sub\":\"1\"}", 256, true)]
    [InlineData("{\"alg\":\"none\"}", "{\"sub\":\"1\"}", 0, true)]
    public void Scan_Jwt_NeedsJsonSegmentsAndTheAlgorithmsSignatureLength(string header, string payload, int signatureBytes, bool isSecret)
    {
        var signature = new byte[signatureBytes];
        new Random(signatureBytes).NextBytes(signature);
        var token = $"{B64(Encoding.UTF8.GetBytes(header))}.{B64(Encoding.UTF8.GetBytes(payload))}.{B64(signature)}";
        Assert.Equal(isSecret, Scanner.Scan($"Bearer {token}").Findings.Count == 1);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
