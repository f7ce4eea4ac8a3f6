using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;
using Xunit;

namespace Synapse.Tests.Dlp;

/// <summary>Every finding says which rule matched and why, without repeating what it matched.</summary>
public sealed class ExplanationTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("pay 4111 1111 1111 1111 now", "credit_card.luhn_issuer", "Luhn valid, issuer Visa, 16 digits")]
    [InlineData("airline 135412345678911 card", "credit_card.luhn_issuer", "issuer UATP, 15 digits")]
    [InlineData("ssn 536.90.4399 here", "us_ssn.grouped", "groups split by '.'")]
    [InlineData("SSN 536904399", "us_ssn.bare_with_context", "context word")]
    [InlineData("NI AB 12 34 56 C", "uk_nino.prefix_suffix", "prefix AB")]
    [InlineData("IBAN GB29 NWBK 6016 1331 9268 19", "iban.mod97", "country GB with its registered length of 22")]
    [InlineData("mail медведь@с-балалайкой.рф now", "email.address", "internationalised address")]
    [InlineData("call +44 20 7946 0958", "phone.e164", "E.164")]
    [InlineData("call 020 7946 0958", "phone.national", "trunk 0")]
    [InlineData("host fe80::1%eth0 up", "ip_address.v6", "zone id")]
    [InlineData("net 10.0.0.0/8 up", "ip_address.v4", "CIDR")]
    public void Explain_SaysWhichRuleMatchedAndWhy(string text, string rule, string reasonPart)
    {
        var (result, explanations) = Scanner.Explain(text);

        var explanation = Assert.Single(explanations);
        Assert.Single(result.Findings);
        Assert.Equal(rule, explanation.Rule);
        Assert.Contains(reasonPart, explanation.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("github", "secret.github_classic", "CRC32 checksum valid")]
    [InlineData("aws", "secret.aws_access_key", "bits/character")]
    [InlineData("synapse", "secret.synapse", "bits/character")]
    [InlineData("openai", "secret.openai_project", "T3BlbkFJ marker")]
    [InlineData("anthropic", "secret.anthropic", "93 characters then AA")]
    [InlineData("jwt", "secret.jwt", "alg HS256")]
    [InlineData("pem", "secret.pem_private_key", "characters of base64 key material")]
    public void Explain_Secret_NamesTheFormatAndItsChecksWithoutTheKey(string kind, string rule, string reasonPart)
    {
        var key = new SyntheticValues(31).Generate(kind);
        var (_, explanations) = Scanner.Explain($"here: {key}");

        var explanation = Assert.Single(explanations);
        Assert.Equal(rule, explanation.Rule);
        Assert.Contains(reasonPart, explanation.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^12..], explanation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ReturnsTheSameFindingsAsScan_OnePerFinding()
    {
        foreach (var sample in DlpCorpus.Load().Take(400))
        {
            var (result, explanations) = Scanner.Explain(sample.Text);
            Assert.Equal(Scanner.Scan(sample.Text).Findings, result.Findings);
            Assert.Equal(result.Findings.Count, explanations.Count);
            Assert.All(explanations, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        }
    }
}
