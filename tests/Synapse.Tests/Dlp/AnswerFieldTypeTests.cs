using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Tests.Dlp;

/// <summary>
/// What a whole answer's fields may carry out: its identifiers scanned even when the answer is
/// withheld, and text fields as text only — a number is not scanned, so it is not relayed.
/// </summary>
public sealed class AnswerFieldTypeTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("system_fingerprint")]
    [InlineData("service_tier")]
    [InlineData("id")]
    public void ABlockedValueInAnIdentifier_DoesNotGoOutBesideTheWithheldNotice(string field)
    {
        var answer = Answer(new JsonObject { ["role"] = "assistant", ["content"] = "card 4111 1111 1111 1111" });
        answer[field] = "AKIAQ7TZ3XKJ5MWRBPLD";

        var (filtered, verdict) = ResponseDlp.Apply(Bytes(answer), Scanner);

        Assert.True(verdict.IsBlocked);
        var text = System.Text.Encoding.UTF8.GetString(filtered);
        Assert.Equal(ResponseDlp.WithheldNotice, JsonNode.Parse(filtered)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.DoesNotContain("AKIAQ7TZ3XKJ5MWRBPLD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NumbersWhereTextBelongs_AreNotRelayed_AndCreatedIsANumberOrNothing()
    {
        var answer = Answer(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = "calling",
            ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = 536228841, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = 4111111111111111 } }),
        });
        answer["created"] = "4111111111111111";
        answer["system_fingerprint"] = 4111111111111111;

        var (filtered, verdict) = ResponseDlp.Apply(Bytes(answer), Scanner);

        var text = System.Text.Encoding.UTF8.GetString(filtered);
        Assert.False(verdict.IsBlocked);
        Assert.Contains("\"content\":\"calling\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111111111111111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("536228841", text, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(filtered)!["created"]);
    }

    [Theory]
    [InlineData(4111111111111111)]
    [InlineData(-1)]
    [InlineData(4294967296)]
    public void AChoiceIndexOutOfRange_IsItsPlace_NotTheCastOfIt(long index)
    {
        var answer = Answer(new JsonObject { ["role"] = "assistant", ["content"] = "hi" });
        answer["choices"]![0]!["index"] = index;

        var (filtered, _) = ResponseDlp.Apply(Bytes(answer), Scanner);

        Assert.Equal(0, JsonNode.Parse(filtered)!["choices"]![0]!["index"]!.GetValue<int>());
        Assert.DoesNotContain("-1519849017", System.Text.Encoding.UTF8.GetString(filtered), StringComparison.Ordinal);
    }

    private static JsonObject Answer(JsonObject message) => new()
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["created"] = 1764500000,
        ["model"] = "m",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = "stop" }),
    };

    private static byte[] Bytes(JsonObject answer) => System.Text.Encoding.UTF8.GetBytes(answer.ToJsonString());
}
