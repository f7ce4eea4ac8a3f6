using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class SecretDetectionTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("openai")]
    [InlineData("openai-legacy")]
    [InlineData("anthropic")]
    [InlineData("aws")]
    [InlineData("aws-session")]
    [InlineData("github")]
    [InlineData("github-pat")]
    [InlineData("slack")]
    [InlineData("stripe")]
    [InlineData("stripe-restricted")]
    [InlineData("google")]
    [InlineData("synapse")]
    [InlineData("synapse-admin")]
    [InlineData("jwt")]
    [InlineData("pem")]
    public void Scan_GeneratedKey_IsBlockedAsSecret(string kind)
    {
        var key = new SyntheticValues(1).Generate(kind);
        var result = Scanner.Scan($"here: {key} done");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DlpCategories.Secret, finding.Category);
        Assert.Equal(6, finding.Start);
        Assert.Equal(key.Length, finding.Length);
        Assert.True(result.IsBlocked);
        Assert.Equal("here: [REDACTED:SECRET] done", result.RedactedText);
    }

    [Fact]
    public void Scan_KeysThisGatewayMints_AreAllSecrets()
    {
        for (var i = 0; i < 2000; i++)
        {
            var key = Synapse.Keys.ApiKeySecrets.Generate();
            var finding = Assert.Single(Scanner.Scan($"SYNAPSE_API_KEY={key}").Findings);
            Assert.Equal((DlpCategories.Secret, 16, key.Length), (finding.Category, finding.Start, finding.Length));
        }
    }

    [Fact]
    public void Scan_KeyGluedToAWordOnItsLeft_IsStillAMatch_ButNotOneThatRunsOn()
    {
        // A letter written before a key does not hide it (the key's shape decides); a token that runs
        // on past the key's length is no key of that format.
        var key = new SyntheticValues(2).Generate("aws");
        var finding = Assert.Single(Scanner.Scan("x" + key).Findings);
        Assert.Equal((DlpCategories.Secret, 1, key.Length), (finding.Category, finding.Start, finding.Length));
        Assert.Empty(Scanner.Scan(key + "Q").Findings);
    }

    [Fact]
    public void Scan_UnterminatedPemBlockWithKeyMaterial_IsBlockedFromItsHeader()
    {
        var pem = new SyntheticValues(3).Pem();
        var cut = pem[..pem.IndexOf('\n', 100)];
        var result = Scanner.Scan(cut + " and then the stream was cut");
        Assert.True(result.IsBlocked);
        Assert.Equal(0, result.Findings[0].Start);
        Assert.True(result.Findings[0].Length >= cut.Length);
    }

    [Fact]
    public void Stream_PemHeader_SendsNothingOfTheBlockAndBlocksOnTheFirstKeyLines()
    {
        var pem = new SyntheticValues(4).Pem();
        var header = pem[..(pem.IndexOf('\n', StringComparison.Ordinal) + 1)];
        var body = pem[header.Length..];
        var redactor = Scanner.CreateStreamingRedactor();

        // The header alone may still be followed by key material: held back, not sent, not yet blocked.
        Assert.Equal("Sure, here it is:\n", redactor.Append("Sure, here it is:\n" + header));
        Assert.False(redactor.IsBlocked);

        // Key material arrives line by line; the stream blocks before its end and nothing of the block leaks.
        var output = string.Empty;
        foreach (var line in body.Split('\n'))
        {
            output += redactor.Append(line + "\n");
            if (redactor.IsBlocked)
            {
                break;
            }
        }

        Assert.True(redactor.IsBlocked);
        Assert.Equal(string.Empty, output);
        Assert.Equal(string.Empty, redactor.Append("-----END PRIVATE KEY-----"));
        Assert.Equal(string.Empty, redactor.Complete());
    }

    [Fact]
    public void Stream_PemHeaderFollowedByProse_IsReleasedUnchanged()
    {
        var redactor = Scanner.CreateStreamingRedactor();
        var text = "Paste it between -----BEGIN PRIVATE KEY----- and the END line, I'll explain.";
        var output = redactor.Append(text[..30]) + redactor.Append(text[30..]) + redactor.Complete();
        Assert.False(redactor.IsBlocked);
        Assert.Equal(text, output);
    }

    [Fact]
    public void Scan_PublicKeyAndCertificate_AreNotSecrets()
    {
        Assert.Empty(Scanner.Scan("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----").Findings);
        Assert.Empty(Scanner.Scan("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").Findings);
    }
}
