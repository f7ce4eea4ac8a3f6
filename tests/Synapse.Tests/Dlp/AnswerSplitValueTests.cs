using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A whole answer's running text is also read as one: a value a model splits between its content
/// and a tool call's arguments, its refusal, or another choice reaches the client whole, since the
/// client reads them all.
/// </summary>
public sealed class AnswerSplitValueTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Fact]
    public void AnAddressSplitBetweenTheContentAndAToolCallsArguments_IsRedactedInBoth()
    {
        var body = Answer(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = "Forwarding to jane.doe",
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = "call_1",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "send", ["arguments"] = "@example.com\"}" },
            }),
        });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Equal([DlpCategories.Email], verdict.RedactedCategories);
        var message = JsonNode.Parse(filtered)!["choices"]![0]!["message"]!;
        Assert.Equal("Forwarding to [REDACTED:EMAIL]", message["content"]!.GetValue<string>());
        Assert.Equal("\"}", message["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public void ACardSplitAcrossTwoChoices_WithholdsTheAnswer()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = "chatcmpl-1",
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = "Card: 4111 1111" }, finish_reason = "stop" },
                new { index = 1, message = new { role = "assistant", content = " 1111 1111" }, finish_reason = "stop" },
            },
        });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Contains(DlpCategories.CreditCard, verdict.BlockedCategories);
        var text = JsonNode.Parse(filtered)!.ToJsonString();
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
        Assert.Contains("content_filter", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAddressSplitBetweenTheRefusalAndTheReasoning_IsRedacted_AndTheChoicesLogprobsWithheld()
    {
        var body = Answer(
            new JsonObject { ["role"] = "assistant", ["refusal"] = "I will not write to jane.doe", ["reasoning_content"] = "@example.com is private" },
            new JsonObject { ["content"] = new JsonArray(new JsonObject { ["token"] = "I", ["logprob"] = -0.1, ["top_logprobs"] = new JsonArray() }) });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Equal([DlpCategories.Email], verdict.RedactedCategories);
        var choice = JsonNode.Parse(filtered)!["choices"]![0]!;
        Assert.Equal("I will not write to [REDACTED:EMAIL]", choice["message"]!["refusal"]!.GetValue<string>());
        Assert.Equal(" is private", choice["message"]!["reasoning_content"]!.GetValue<string>());
        Assert.Null(choice["logprobs"]);
    }

    [Fact]
    public void AnAddressBegunInTheReasoningAndEndedInTheContent_IsRedacted()
    {
        // Read in the order a client shows them: the reasoning, then the content.
        var body = Answer(new JsonObject { ["role"] = "assistant", ["content"] = "@example.com is the address", ["reasoning_content"] = "I will write to jane.doe" });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Equal([DlpCategories.Email], verdict.RedactedCategories);
        var message = JsonNode.Parse(filtered)!["choices"]![0]!["message"]!;
        Assert.Equal("I will write to [REDACTED:EMAIL]", message["reasoning_content"]!.GetValue<string>());
        Assert.Equal(" is the address", message["content"]!.GetValue<string>());
    }

    [Fact]
    public void ACardSplitAcrossTwoChoicesListedOutOfOrder_WithholdsTheAnswer()
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = "chatcmpl-1",
            choices = new[]
            {
                new { index = 1, message = new { role = "assistant", content = " 1111 1111" }, finish_reason = "stop" },
                new { index = 0, message = new { role = "assistant", content = "Card: 4111 1111" }, finish_reason = "stop" },
            },
        });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Contains(DlpCategories.CreditCard, verdict.BlockedCategories);
        Assert.DoesNotContain("4111", JsonNode.Parse(filtered)!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IdentifiersAreNotJoined_SoTheyMakeNoValueWithTheText()
    {
        // An id is not running text: "jane.doe" ending the content and an id "@example.com" are two strings.
        var body = Answer(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = "Ask jane.doe",
            ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "@example.com", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = "{}" } }),
        });

        var (filtered, verdict) = ResponseDlp.Apply(body, Scanner);

        Assert.Empty(verdict.RedactedCategories);
        Assert.Equal("Ask jane.doe", JsonNode.Parse(filtered)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    private static byte[] Answer(JsonObject message, JsonObject? logprobs = null) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = logprobs, ["finish_reason"] = "stop" }),
    });
}
