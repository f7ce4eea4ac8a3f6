using System.Text;
using Synapse.Binding;
using Synapse.Providers;
using Synapse.RateLimiting;

namespace Synapse.Tests.Fields;

/// <summary>
/// The names the audit log records about a request's fields are the gateway's own: a dropped
/// field's name only when the gateway knows it (a made-up one is counted), a refusal's param only
/// as a path of known names. And what a call that ends without usage is charged for counts every
/// text the model generated, not only its content.
/// </summary>
public sealed class RecordedNamesTests
{
    [Fact]
    public void DroppedNames_TheGatewayKnows_AreNamed_AndMadeUpOnesCountedUnderTheirPlace()
    {
        var dropped = new DroppedFields();

        dropped.AddClientName(string.Empty, "patient_john_smith_hiv_positive");
        dropped.AddClientName("messages[0].", "cache_control");
        dropped.AddClientName(string.Empty, "thinking");
        dropped.AddClientName("messages[0].", "diagnosis_hiv");
        dropped.AddClientName(string.Empty, "x_trace");

        Assert.Equal(["(2 unknown)", "messages[0].cache_control", "thinking", "messages[0].(1 unknown)"], dropped.ToList());
    }

    [Fact]
    public void DroppedNames_PastTheListLimit_AreCountedAsMore()
    {
        var dropped = new DroppedFields();
        for (var i = 0; i < DroppedFields.MaxListed; i++)
        {
            dropped.AddClientName($"messages[{i}].", "secret_" + i);
        }

        dropped.AddClientName("messages[99].", "another");

        Assert.Equal($"+1 more", dropped.ToList()[^1]);
        Assert.DoesNotContain(dropped.ToList(), n => n.Contains("secret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("previous_response_id", "previous_response_id")]
    [InlineData("messages[2].content[0].image_url.url", "messages[2].content[0].image_url.url")]
    [InlineData("input[1].content[0].text", "input[1].content[0].text")]
    [InlineData("metadata.patient_john_smith", "metadata.(unknown)")]
    [InlineData("tools[0].function.parameters.properties.ssn_123_45_6789", "tools[0].function.parameters.(unknown).(unknown)")]
    [InlineData("messages[x].content", "(unknown).content")]
    [InlineData("messages[0]junk", "(unknown)")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void AParam_IsRecordedAsAPathOfKnownNames(string? param, string? recorded)
    {
        Assert.Equal(recorded, FieldPath.ForAudit(param));
    }

    [Fact]
    public void TheTextAModelGenerated_CountsItsReasoningRefusalsAndToolCalls()
    {
        var text = new AnswerText();
        text.AddChunk(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{"reasoning_content":"Think about dosage first."}}]}"""));
        text.AddChunk(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"lookup_dose","arguments":"{\"drug\":\"paracetamol\"}"}}]}}]}"""));
        text.AddChunk(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{"content":"Two tablets."}}]}"""));

        Assert.Equal("Two tablets.", text.ToString()); // the digest's text is the content alone
        var expected = PromptTokenEstimator.CountText("Two tablets.") + PromptTokenEstimator.CountText("Think about dosage first.lookup_dose{\"drug\":\"paracetamol\"}");
        Assert.Equal(expected, text.CountTokens());
    }

    [Fact]
    public void AWholeAnswersGeneratedText_IsCountedToo()
    {
        var text = new AnswerText();
        text.AddCompletion(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I cannot help with that."}}]}"""));

        Assert.Null(text.ToString());
        Assert.Equal(PromptTokenEstimator.CountText("I cannot help with that."), text.CountTokens());
    }
}
