using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Tests.Binding;

/// <summary><c>stream_options.include_usage</c> is a boolean, as <c>stream</c> is: "yes" read as false dropped the usage asked for.</summary>
public sealed class StreamOptionsTests
{
    private static readonly KeyBinding Binding = new("team", "key", "Bound prompt.", ["m"], DataClassification.NonSensitive, new KeyLimits(1, 1, 1));

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("{}")]
    public void IncludeUsageThatIsNotABoolean_IsRefusedOnItsParam(string value)
    {
        var error = Assert.Throws<InvalidRequestException>(() => Bind($$$"""{"stream":true,"stream_options":{"include_usage":{{{value}}}}}"""));

        Assert.Equal("stream_options.include_usage", error.Param);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void IncludeUsage_AsABooleanOrNull_IsHonoured(string value, bool wanted)
    {
        var body = JsonNode.Parse($$$"""{"stream":true,"stream_options":{"include_usage":{{{value}}}},"messages":[{"role":"user","content":"hi"}]}""")!.AsObject();

        Bind(body.ToJsonString());

        Assert.Equal(wanted, ChatBindingEnforcer.ClientWantsUsage(body));
    }

    private static JsonObject Bind(string fields)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["messages"] ??= JsonNode.Parse("""[{"role":"user","content":"hi"}]""");
        return ChatBindingEnforcer.BindChat(body, Binding, "m").Body;
    }
}
