using System.Text;
using Synapse.Binding;

namespace Synapse.Tests.Binding;

/// <summary>Bodies that no later step could handle are refused at parse time, with a message that quotes none of them.</summary>
public sealed class RequestJsonTests
{
    public static TheoryData<byte[]> InvalidUtf8 => new()
    {
        Body([0xff]),
        Body([0xc3]),
        Body([0xe2, 0x82]),
        Body([0xc0, 0xaf]),
        Body([0xed, 0xa0, 0x80]),
        Body([0xf4, 0x90, 0x80, 0x80]),
        Body([0x80]),
        (byte[])[.. "{\"model\":\"llama3\""u8.ToArray(), 0xff, .. "}"u8.ToArray()],
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void InvalidUtf8_IsRefused(byte[] body)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(body));

        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00")]
    [InlineData("\\udc00\\ud800")]
    [InlineData("a\\ud83d")]
    [InlineData("\\ud83d b")]
    [InlineData("\\ud83d\\u0041")]
    public void EscapedLoneSurrogates_AreRefused_InValuesAndNames(string escaped)
    {
        var inValue = Encoding.UTF8.GetBytes($$"""{"model":"llama3","messages":[{"role":"user","content":"{{escaped}}"}]}""");
        var inName = Encoding.UTF8.GetBytes($$"""{"model":"llama3","{{escaped}}":1}""");

        Assert.Contains("surrogate", Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(inValue)).Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(inName)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABodyOfMoreStringsThanTheLimit_IsRefused_AndOneAtTheLimitIsRead()
    {
        // The model is a string too: the stop list brings the body to exactly the limit.
        static byte[] WithStrings(int count) => Encoding.UTF8.GetBytes(
            "{\"model\":\"llama3\",\"n\":1,\"stop\":[" + string.Join(',', Enumerable.Repeat("\"a\"", count - 1)) + "]}");

        var atLimit = RequestJson.ParseObject(WithStrings(RequestJson.MaxStrings));
        var error = Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(WithStrings(RequestJson.MaxStrings + 1)));

        Assert.Equal(RequestJson.MaxStrings - 1, atLimit["stop"]!.AsArray().Count);
        Assert.Contains($"at most {RequestJson.MaxStrings}", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Param);
    }

    [Fact]
    public void ValidPairsAndRawAstralCharacters_AreKept()
    {
        var body = RequestJson.ParseObject("{\"model\":\"llama3\",\"content\":\"\\ud83d\\ude00 😀 \\u00e9 é\"}"u8);

        Assert.Equal("😀 😀 é é", body["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("llama3\\u0000")]
    [InlineData("llama3\\n")]
    [InlineData("\\u001b[31mllama3")]
    [InlineData("llama3\\u007f")]
    [InlineData("llama3\\u0085")]
    public void AModelWithControlCharacters_IsRefusedOnItsParam(string model)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(Encoding.UTF8.GetBytes($$"""{"model":"{{model}}"}""")));

        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void AnOverLongModel_IsRefusedOnItsParam_AndTheLimitItselfIsAccepted()
    {
        var atLimit = new string('m', RequestJson.MaxModelLength);
        var error = Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(Encoding.UTF8.GetBytes($$"""{"model":"{{atLimit}}m"}""")));

        Assert.Equal("model", error.Param);
        Assert.DoesNotContain("mmmm", error.Message, StringComparison.Ordinal);
        Assert.Equal(atLimit, RequestJson.ParseObject(Encoding.UTF8.GetBytes($$"""{"model":"{{atLimit}}"}"""))["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("{\"a\":/*x*/1}")]
    [InlineData("{\"a\":\"raw\u0001control\"}")]
    [InlineData("{\"a\":\"\\x41\"}")]
    public void MalformedJson_IsRefusedAsSuch(string json)
    {
        var error = Assert.Throws<InvalidRequestException>(() => RequestJson.ParseObject(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Body(byte[] inside) => [.. "{\"model\":\"llama3\",\"content\":\""u8.ToArray(), .. inside, .. "\"}"u8.ToArray()];
}
