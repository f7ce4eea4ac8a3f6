using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Audit;

public sealed class AuditDigesterTests
{
    private static readonly AuditClientScreen Screen = new();

    private static readonly AuditKeys Keys = new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Digest_IsKeyedLowerCaseHex_AndNotAPlainHash()
    {
        var digester = new AuditDigester(Keys);

        var digest = digester.Prompt("yes");

        Assert.Matches("^[0-9a-f]{64}$", digest);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("yes"))), digest);
        Assert.NotEqual(digest, new AuditDigester(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32))).Prompt("yes"));
        Assert.NotEqual(digest, digester.Response("yes"));
    }

    [Fact]
    public void Digest_IgnoresLineEndingsTrailingBreaksAndUnicodeComposition()
    {
        var digester = new AuditDigester(Keys);

        Assert.Equal(digester.Prompt("a\nb"), digester.Prompt("a\r\nb\r\n"));
        Assert.Equal(digester.Prompt("caf\u00e9"), digester.Prompt("cafe\u0301"));
        Assert.NotEqual(digester.Prompt("a b"), digester.Prompt("a  b"));
        Assert.True(digester.Matches(digester.Prompt("text"), AuditDigester.PromptKind, "text\n"));
        Assert.False(digester.Matches(digester.Prompt("text"), AuditDigester.PromptKind, "other"));
    }

    [Fact]
    public void ChatPrompt_IsRolesAndTextsSeparatedByBlankLines()
    {
        var messages = JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},
             {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"there"}]}]
            """)!.AsArray();

        Assert.Equal("system\nBe brief.\n\nuser\nHello\nthere", AuditCanonicalText.FromChatMessages(messages));
        var digester = new AuditDigester(Keys);
        Assert.Equal(digester.Prompt("system\nBe brief.\n\nuser\nHello\nthere"), digester.ChatPrompt(messages));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public void Writer_RefusesADigestFieldThatIsNotADigest(string value)
    {
        var record = AuditSamples.Simple(1) with { PromptSha256 = value };

        var error = Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record, Screen));
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_RefusesLongTextInIdFields()
    {
        var record = AuditSamples.Simple(1) with { Target = new string('x', 300) };

        Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record, Screen));
        Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record with { Target = null, Outcome = "Not An Outcome" }, Screen));
        Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record with { Target = null, EventId = Guid.Empty }, Screen));
        Assert.Equal(AuditEventKind.Request, AuditRecordValidator.Normalize(record with { Target = null }, Screen).Kind);
    }

    [Fact]
    public void Writer_RefusesExactlyTheCharactersCharIsControlNames_InTextFields()
    {
        var record = AuditSamples.Simple(1);
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var text = "id-" + c;
            Assert.Equal(!char.IsControl(c), AuditRecordValidator.IsPrintable(text));
        }

        Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record with { UserAgent = "agent\u0085" }, Screen));
        Assert.Throws<ArgumentException>(() => AuditRecordValidator.Normalize(record with { Detail = "detail\u007f" }, Screen));
        Assert.Equal("agent\u00a0", AuditRecordValidator.Normalize(record with { UserAgent = "agent\u00a0" }, Screen).UserAgent);
    }
}
