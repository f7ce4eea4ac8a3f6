using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class SecretDetectionTests
{
    private static readonly DlpScanner Scanner = new(DlpPolicy.Default);

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
    public void Scan_KeyGluedToAWord_IsNotAMatch()
    {
        var key = new SyntheticValues(2).Generate("aws");
        Assert.Empty(Scanner.Scan("x" + key).Findings);
    }

    [Fact]
    public void Scan_UnterminatedPemHeader_IsBlockedOnItsHeader()
    {
        var result = Scanner.Scan("-----BEGIN RSA PRIVATE KEY-----\nMIIEow and then the stream was cut");
        Assert.True(result.IsBlocked);
        Assert.Equal(0, result.Findings[0].Start);
    }

    [Fact]
    public void Stream_PemHeader_BlocksBeforeTheBodyArrives()
    {
        var redactor = Scanner.CreateStreamingRedactor();
        Assert.Equal("Sure, here it is:\n", redactor.Append("Sure, here it is:\n-----BEGIN PRIVATE KEY-----\n"));
        Assert.True(redactor.IsBlocked);
        Assert.Equal(string.Empty, redactor.Append("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
        Assert.Equal(string.Empty, redactor.Complete());
    }

    [Fact]
    public void Scan_PublicKeyAndCertificate_AreNotSecrets()
    {
        Assert.Empty(Scanner.Scan("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----").Findings);
        Assert.Empty(Scanner.Scan("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").Findings);
    }
}
