using System.Text;
using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Providers;
using Synapse.Tests.Dlp;

namespace Synapse.Tests.Providers;

/// <summary>
/// A provider's token counts are held to what a count can be before they are settled, audited or
/// relayed: a negative count cost the request its completion row (the audit log refuses it).
/// </summary>
public sealed class UsageReaderTests
{
    [Theory]
    [InlineData("12", 12)]
    [InlineData("-5", 0)]
    [InlineData("4111111111111111", int.MaxValue)]
    [InlineData("7.9", 7)]
    [InlineData("1e300", int.MaxValue)]
    [InlineData("-1e300", 0)]
    public void ACount_IsReadWithinWhatACountCanBe(string given, int read)
    {
        var usage = UsageReader.Read(Encoding.UTF8.GetBytes($$$"""{"choices":[],"usage":{"prompt_tokens":{{{given}}},"completion_tokens":{{{given}}}}}"""));

        Assert.Equal(new TokenUsage(read, read), usage);
    }

    [Fact]
    public void ANegativeCount_IsNotRelayed_AndTheOthersAre()
    {
        var body = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":-3,"completion_tokens":2,"total_tokens":-1}}"""u8.ToArray();

        var (filtered, _) = ResponseDlp.Apply(body, TestScanners.Create(DlpPolicy.Default));

        var usage = JsonNode.Parse(filtered)!["usage"]!.AsObject();
        Assert.Equal(["completion_tokens"], usage.Select(p => p.Key).ToArray());
        Assert.Equal(2, usage["completion_tokens"]!.GetValue<long>());
    }
}
