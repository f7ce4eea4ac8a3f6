using System.Text;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Tests.Fields;

/// <summary>What prompt DLP writes back, field by field: the gateway-level tests prove nothing leaks; these pin the exact result.</summary>
public sealed class PromptDlpTests
{
    private static readonly DlpScanner Scanner = new(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(30) });
    private static readonly KeyBinding Binding = new("team", "key", "Bound prompt.", ["m"], DataClassification.NonSensitive, new KeyLimits(1, 1, 1));

    [Fact]
    public void SplitValue_IsRedactedWhereItBegins_AndItsRestRemoved()
    {
        var bound = Bind("""[{"role":"user","content":"Write to jane.doe"},{"role":"user","content":"@example.com today"}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["email"], verdict.RedactedCategories);
        Assert.Equal("Write to [REDACTED:EMAIL]", bound["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal(" today", bound["messages"]![2]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("jane_10.1.2.3", "@example.com")]
    [InlineData("mail jane.doe@10.1.2.3", ".example.com")]
    public void SplitValue_IsRedacted_WhenAPartAlsoHoldsALesserFinding(string first, string second)
    {
        var bound = Bind($$"""[{"role":"user","content":[{"type":"text","text":"{{first}}"},{"type":"text","text":"{{second}}"}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Contains("email", verdict.RedactedCategories);
        var sent = bound["messages"]!.ToJsonString();
        Assert.Contains("[REDACTED:EMAIL]", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void ValueWhole_InOneMessage_IsNotCountedTwice_WhenTheNextMessageTouchesIt()
    {
        var bound = Bind("""[{"role":"user","content":"mail jane.doe@example.com"},{"role":"user","content":"thanks"}]""");

        PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal("mail [REDACTED:EMAIL]", bound["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal("thanks", bound["messages"]![2]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void PropertyName_WithAnAddress_IsRenamedInPlace_AndItsValueKept()
    {
        var bound = Bind("""[{"role":"user","content":"hi"}]""", """{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string"},"jane.doe@example.com":{"type":"integer"},"z":{"type":"string"}}}}}]}""");

        PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        var properties = bound["tools"]![0]!["function"]!["parameters"]!["properties"]!.AsObject();
        Assert.Equal(["a", "[REDACTED:EMAIL]", "z"], properties.Select(p => p.Key).ToArray());
        Assert.Equal("integer", properties["[REDACTED:EMAIL]"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void ANumberTheModelReads_IsScanned_ButSamplingSettingsAreNot()
    {
        // A schema's enum reaches the model as text; a seed goes to the sampler (and a random
        // 19-digit one can pass a card check).
        var tools = """{"seed":4111111111111111,"tools":[{"type":"function","function":{"name":"pay","parameters":{"type":"object","properties":{"card":{"type":"integer","enum":[4111111111111111]}}}}}]}""";
        var seedOnly = """{"seed":4111111111111111,"tools":[{"type":"function","function":{"name":"pay","parameters":{"type":"object","properties":{"n":{"type":"integer","enum":[1,2,2019,2020],"maximum":9007199254740991}}}}}]}""";

        var blocked = PromptDlp.Apply(Bind("""[{"role":"user","content":"hi"}]""", tools), Scanner, skipFirstMessage: true);
        var passed = PromptDlp.Apply(Bind("""[{"role":"user","content":"hi"}]""", seedOnly), Scanner, skipFirstMessage: true);

        Assert.Contains(DlpCategories.CreditCard, blocked.BlockedCategories);
        Assert.False(passed.IsBlocked);
    }

    [Fact]
    public void TextFile_IsDecodedScannedAndReEncoded()
    {
        var data = "data:text/csv;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("name,mail\nJane,jane.doe@example.com\n"));
        var bound = Bind($$$"""[{"role":"user","content":[{"type":"file","file":{"filename":"a.csv","file_data":"{{{data}}}"}}]}]""");

        PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        var written = bound["messages"]![1]!["content"]![0]!["file"]!["file_data"]!.GetValue<string>();
        Assert.StartsWith("data:text/csv;base64,", written, StringComparison.Ordinal);
        Assert.Equal("name,mail\nJane,[REDACTED:EMAIL]\n", Encoding.UTF8.GetString(Convert.FromBase64String(written["data:text/csv;base64,".Length..])));
    }

    [Fact]
    public void BinaryImage_IsForwardedUnread_EvenWhenItsBytesHoldDigits()
    {
        // A PNG signature, then bytes that happen to be a card number in ASCII: binary media are not text.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Encoding.ASCII.GetBytes("4111 1111 1111 1111")).ToArray();
        var url = "data:image/png;base64," + Convert.ToBase64String(png);
        var bound = Bind($$$"""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.False(verdict.IsBlocked);
        Assert.Equal(url, bound["messages"]![1]!["content"]![0]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void ADataUrlsHeader_IsReadToo_AndRedactedBesideItsRedactedText()
    {
        // The media type and its parameters reach the provider as written (Anthropic's media_type too);
        // an address is not a token, so it is a parameter's value only in quotes.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        var image = "data:image/png;name=\\\"jane.doe@example.com\\\";base64," + Convert.ToBase64String(png);
        var file = "data:text/plain;owner=\\\"bob@corp.example\\\";base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("mail jane.doe@example.com"));
        var bound = Bind($$$"""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}},{"type":"file","file":{"filename":"a.txt","file_data":"{{{file}}}"}}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["email"], verdict.RedactedCategories);
        var parts = bound["messages"]![1]!["content"]!.AsArray();
        Assert.Equal("data:image/png;name=\"[REDACTED:EMAIL]\";base64," + Convert.ToBase64String(png), parts[0]!["image_url"]!["url"]!.GetValue<string>());
        var written = parts[1]!["file"]!["file_data"]!.GetValue<string>();
        Assert.StartsWith("data:text/plain;owner=\"[REDACTED:EMAIL]\";base64,", written, StringComparison.Ordinal);
        Assert.Equal("mail [REDACTED:EMAIL]", Encoding.UTF8.GetString(Convert.FromBase64String(written[(written.IndexOf(',', StringComparison.Ordinal) + 1)..])));
    }

    [Fact]
    public void ARedactedTokenInADataUrlsHeader_IsQuoted_SoTheHeaderStaysWellFormed()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        var image = "data:image/png;ref=+442079460958;base64," + Convert.ToBase64String(png);
        var bound = Bind($$$"""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["phone"], verdict.RedactedCategories);
        var url = bound["messages"]![1]!["content"]![0]!["image_url"]!["url"]!.GetValue<string>();
        Assert.Equal("data:image/png;ref=\"[REDACTED:PHONE]\";base64," + Convert.ToBase64String(png), url);
        Assert.True(Synapse.Binding.MediaTypeSyntax.IsWellFormedDataUrlHeader(url.AsSpan("data:".Length, url.IndexOf(',', StringComparison.Ordinal) - "data:".Length)));
    }

    [Fact]
    public void ManyValuesSplitAcrossParts_AreEachRedacted()
    {
        // Every pair of parts joins into an address: each split finding redacts its own two parts
        // (looked up per part, not searched among all of them for every part: that was quadratic).
        const int Pairs = 5_000;
        var parts = string.Join(',', Enumerable.Repeat("""{"type":"text","text":"mail j"},{"type":"text","text":"@e.example now "}""", Pairs));
        var bound = Bind($$$"""[{"role":"user","content":[{{{parts}}}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["email"], verdict.RedactedCategories);
        var texts = bound["messages"]![1]!["content"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(Pairs * 2, texts.Count);
        Assert.All(texts.Where((_, i) => i % 2 == 0), t => Assert.Equal("mail [REDACTED:EMAIL]", t));
        Assert.All(texts.Where((_, i) => i % 2 == 1), t => Assert.Equal(" now ", t));
    }

    [Fact]
    public void Base64ThatIsNotBase64_IsRefused_NamingThePart()
    {
        var bound = Bind("""[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"not base64!","format":"wav"}}]}]""");

        var refused = Assert.Throws<InvalidRequestException>(() => PromptDlp.Apply(bound, Scanner, skipFirstMessage: true));

        Assert.Equal("messages[1].content[0].input_audio.data", refused.Param);
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111")]
    [InlineData("card\r\n4111 1111 1111 1111\n")]
    public void MediaWhoseTransportTextCarriesData_IsCaught(string payload)
    {
        // Valid base64 (whitespace is allowed) that decodes to noise, but reads as a card number.
        var bound = Bind($$$"""[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":{{{WireAnswers.Quote(payload)}}},"format":"wav"}}]}]""");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["credit_card"], verdict.BlockedCategories);
    }

    [Fact]
    public void BoundSystemPrompt_IsTheAdminsText_AndNotScanned()
    {
        var binding = Binding with { SystemPrompt = "Escalate to ops@example.com." };
        var bound = ChatBindingEnforcer.BindChat(JsonNode.Parse("""{"messages":[{"role":"user","content":"hi"}]}""")!.AsObject(), binding, "m").Body;

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Same(DlpVerdict.Clean, verdict);
        Assert.Equal("Escalate to ops@example.com.", bound["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void DroppedNames_NeverRepeatDataHiddenInThem()
    {
        Assert.Equal("cache_control", DroppedFields.Name("cache_control"));
        Assert.Equal("(unnamed)", DroppedFields.Name("AKIAIOSFODNN7EXAMPLE"));
        Assert.Equal("(unnamed)", DroppedFields.Name("jane.doe@example.com"));
        Assert.Equal("(unnamed)", DroppedFields.Name("4111111111111111"));
        Assert.Equal("(unnamed)", DroppedFields.Name("sk_live_abcdefghijklmnopqrstuvwx"));
    }

    [Theory]
    [InlineData("4111111111111111e0")]
    [InlineData("4.111111111111111e15")]
    [InlineData("41111111111111110e-1")]
    [InlineData("4.111111111111111E+15")]
    [InlineData("4111111111111111.000")]
    [InlineData("0.4111111111111111e16")]
    public void ANumberWithAnExponent_IsReadAsTheNumberItIs_InASchemaAndInToolArguments(string number)
    {
        var schema = """{"tools":[{"type":"function","function":{"name":"pay","parameters":{"type":"object","properties":{"card":{"type":"number","enum":[NUMBER]}}}}}]}""".Replace("NUMBER", number, StringComparison.Ordinal);
        var history = """[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"q\":NUMBER}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]""".Replace("NUMBER", number, StringComparison.Ordinal);

        var inSchema = PromptDlp.Apply(Bind("""[{"role":"user","content":"hi"}]""", schema), Scanner, skipFirstMessage: true);
        var inArguments = PromptDlp.Apply(Bind(history), Scanner, skipFirstMessage: true);

        Assert.Contains(DlpCategories.CreditCard, inSchema.BlockedCategories);
        Assert.Contains(DlpCategories.CreditCard, inArguments.BlockedCategories);
    }

    [Theory]
    [InlineData("1e999999")]
    [InlineData("1e-999999")]
    [InlineData("4.111111111111111e999999")]
    public void ANumberWithAHugeExponent_IsReadInBoundedTime_AndIsNoFinding(string number)
    {
        var schema = """{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"number","enum":[NUMBER]}}}}}]}""".Replace("NUMBER", number, StringComparison.Ordinal);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var verdict = PromptDlp.Apply(Bind("""[{"role":"user","content":"hi"}]""", schema), Scanner, skipFirstMessage: true);

        Assert.False(verdict.IsBlocked);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Embeddings_EveryFieldTheBindingForwards_IsRead()
    {
        // The embeddings binding forwards `user` next to `input`: it was once never read.
        var body = JsonNode.Parse("""{"model":"e","input":"ok","user":"my card 4111 1111 1111 1111, jane.doe@example.com","dimensions":8}""")!.AsObject();
        var bound = EmbeddingsBindingEnforcer.Bind(body, "e");

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: false);

        Assert.Contains(DlpCategories.CreditCard, verdict.BlockedCategories);
    }

    private static JsonObject Bind(string messages, string fields = "{}")
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["messages"] = JsonNode.Parse(messages);
        return ChatBindingEnforcer.BindChat(body, Binding, "m").Body;
    }
}
