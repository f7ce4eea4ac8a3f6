using System.Text;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Tests.Fields;

/// <summary>
/// Text inside media is read in the encoding its byte-order mark or its charset names, or its bytes
/// show, and written back in it: UTF-16 read as UTF-8 was noise to the scanner and text to the model.
/// </summary>
public sealed class EmbeddedTextEncodingTests
{
    private const string Secret = "mail jane.doe@example.com";
    private const string Redacted = "mail [REDACTED:EMAIL]";

    private static readonly DlpScanner Scanner = new(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(30) });
    private static readonly KeyBinding Binding = new("team", "key", "Bound prompt.", ["m"], DataClassification.NonSensitive, new KeyLimits(1, 1, 1));

    public static TheoryData<string, string, byte[]> DeclaredEncodings => new()
    {
        { "text/plain;charset=utf-16le", "utf-16le", [] },
        { "text/plain;charset=UTF-16BE", "utf-16be", [] },
        { "text/plain;charset=\"utf-16\"", "utf-16be", [] },
        { "text/plain;charset=utf-16", "utf-16le", [] },
        { "text/csv;charset=utf-32", "utf-32", [] },
        { "text/plain;charset=utf-32be", "utf-32be", [] },
        { "text/plain;charset=ibm037", "ibm037", [] },
        { "text/plain;charset=iso-8859-1", "iso-8859-1", [] },
        { "application/octet-stream;charset=utf-16le", "utf-16le", [] },
        { "text/plain", "utf-16le", [0xFF, 0xFE] },
        { "text/plain;charset=utf-8", "utf-16be", [0xFE, 0xFF] },
        { "application/octet-stream", "utf-16le", [0xFF, 0xFE] },
        { "application/octet-stream", "utf-32le", [0xFF, 0xFE, 0x00, 0x00] },
        { "image/png", "utf-16le", [] },
        { "image/png", "utf-16be", [] },
    };

    [Theory]
    [MemberData(nameof(DeclaredEncodings))]
    public void TextInAnEncoding_IsRedacted_AndWrittenBackInIt(string mediaType, string encodingName, byte[] mark)
    {
        var encoding = CodePagesEncodingProvider.Instance.GetEncoding(encodingName) ?? Encoding.GetEncoding(encodingName);
        var url = $"data:{mediaType};base64," + Convert.ToBase64String([.. mark, .. encoding.GetBytes(Secret)]);
        var bound = Bind(url);

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal(["email"], verdict.RedactedCategories);
        var written = WrittenUrl(bound);
        Assert.StartsWith($"data:{mediaType};base64,", written, StringComparison.Ordinal);
        var bytes = Convert.FromBase64String(written[(written.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(mark, bytes[..mark.Length]);
        Assert.Equal(Redacted, encoding.GetString(bytes[mark.Length..]));
    }

    [Fact]
    public void PercentEncodedText_IsReadAsBytesInItsCharset_AndWrittenBackSo()
    {
        var escaped = string.Concat(Encoding.Unicode.GetBytes(Secret).Select(b => $"%{b:X2}"));
        var bound = Bind("data:text/plain;charset=utf-16le," + escaped);

        Assert.Equal(["email"], PromptDlp.Apply(bound, Scanner, skipFirstMessage: true).RedactedCategories);

        var written = WrittenUrl(bound);
        Assert.Equal("data:text/plain;charset=utf-16le," + PercentEncoding.Encode(Encoding.Unicode.GetBytes(Redacted)), written);
        Assert.Equal(Redacted, Encoding.Unicode.GetString(PercentEncoding.Decode(written.AsSpan(written.IndexOf(',', StringComparison.Ordinal) + 1))));
    }

    [Fact]
    public void PercentEncodedUtf8_IsWrittenBackAsTheBclEscapesIt()
    {
        var bound = Bind("data:text/plain," + Uri.EscapeDataString("café " + Secret) + "%zz");

        PromptDlp.Apply(bound, Scanner, skipFirstMessage: true);

        Assert.Equal("data:text/plain," + Uri.EscapeDataString("café " + Redacted + "%zz"), WrittenUrl(bound));
    }

    [Fact]
    public void Utf8TextWithAControlCharacter_IsStillReadAsUtf8_NotAsUtf16()
    {
        // Two ASCII letters read as one UTF-16 unit are a CJK character: text that fails the UTF-8
        // check (a form feed) must not be taken for UTF-16 and scanned as CJK.
        var bound = Bind("data:text/plain;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("page\f" + Secret)));

        Assert.Equal(["email"], PromptDlp.Apply(bound, Scanner, skipFirstMessage: true).RedactedCategories);
    }

    [Fact]
    public void BinaryMedia_StayUnread_WhateverEncodingTheirBytesCouldBeTakenFor()
    {
        var random = new Random(7);
        var noise = new byte[4096];
        random.NextBytes(noise);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }.Concat(noise).ToArray();
        var url = "data:image/png;base64," + Convert.ToBase64String(png);
        var bound = Bind(url);

        Assert.False(PromptDlp.Apply(bound, Scanner, skipFirstMessage: true).IsBlocked);
        Assert.Equal(url, WrittenUrl(bound));
        Assert.Null(EmbeddedEncoding.Sniff(noise));
    }

    [Theory]
    [InlineData("text/plain;charset=x-no-such-charset")]
    [InlineData("text/plain;charset=utf-7")]
    [InlineData("image/png;charset=klingon")]
    public void ACharsetTheGatewayCannotRead_IsRefused_NamingTheField(string mediaType)
    {
        var bound = Bind($"data:{mediaType};base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)));

        var error = Assert.Throws<InvalidRequestException>(() => PromptDlp.Apply(bound, Scanner, skipFirstMessage: true));

        Assert.Contains("charset", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Param);
        Assert.DoesNotContain("klingon", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain;charset=utf-8;charset=ibm037;base64,")]
    [InlineData("text/plain;CHARSET=ibm037;charset=utf-8;base64,")]
    [InlineData("image/png;base64=1,")]
    public void AHeaderReadersCouldTakeTwoWays_IsRefused(string header)
    {
        var bound = Bind("data:" + header + Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)));

        var error = Assert.Throws<InvalidRequestException>(() => PromptDlp.Apply(bound, Scanner, skipFirstMessage: true));

        Assert.Contains("two ways", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Param);
    }

    /// <summary>A base64 marker that is not the header's well-formed last part is not a media type at all: the binding refuses it before DLP reads it.</summary>
    [Theory]
    [InlineData("text/plain;base64;charset=ibm037,")]
    [InlineData("text/plain;base64;x=y,")]
    [InlineData("image/png;base64 ,")]
    public void AHeaderThatIsNotAMediaType_IsRefusedByTheBinding(string header)
    {
        var error = Assert.Throws<InvalidRequestException>(() => Bind("data:" + header + Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))));

        Assert.Contains("media type is malformed", error.Message, StringComparison.Ordinal);
        Assert.Equal("messages[0].content[0].file.file_data", error.Param);
    }

    [Theory]
    [InlineData("text/plain;charset=utf-16le;base64,")]
    [InlineData("text/plain;charset=ibm037;base64,")]
    [InlineData("text/plain;charset=utf-32;base64,")]
    public void Utf8TextUnderAnotherCharsetsLabel_IsRefused(string header)
    {
        var bound = Bind("data:" + header + Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)));

        var error = Assert.Throws<InvalidRequestException>(() => PromptDlp.Apply(bound, Scanner, skipFirstMessage: true));

        Assert.Contains("charset its bytes are not in", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("us-ascii")]
    [InlineData("windows-1252")]
    public void Utf8TextUnderALabelThatReadsAsciiAsAscii_IsReadAsTheUtf8ItIs(string label)
    {
        // Full-width digits are a card to the model; read by the label they were accented letters.
        const string FullWidthCard = "card ４１１１ １１１１ １１１１ １１１１ and café";
        var bound = Bind($"data:text/plain;charset={label};base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(FullWidthCard)));

        Assert.Contains(DlpCategories.CreditCard, PromptDlp.Apply(bound, Scanner, skipFirstMessage: true).BlockedCategories);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16le")]
    public void Base64InLines_UnderABinaryType_IsReadAsTheTextItIs(string encodingName)
    {
        var base64 = Convert.ToBase64String(Encoding.GetEncoding(encodingName).GetBytes(Secret + " and some more words to fill a line or two of base64"), Base64FormattingOptions.InsertLineBreaks);
        var bound = Bind("data:image/png;base64," + string.Join("\n", base64.Chunk(76).Select(c => new string(c))));

        Assert.Equal(["email"], PromptDlp.Apply(bound, Scanner, skipFirstMessage: true).RedactedCategories);
        Assert.DoesNotContain("jane.doe", Encoding.GetEncoding(encodingName).GetString(Convert.FromBase64String(WrittenUrl(bound)[(WrittenUrl(bound).IndexOf(',', StringComparison.Ordinal) + 1)..])), StringComparison.Ordinal);
    }

    private static JsonObject Bind(string fileData)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "a.txt", ["file_data"] = fileData } }),
            }),
        };
        return ChatBindingEnforcer.BindChat(body, Binding, "m").Body;
    }

    private static string WrittenUrl(JsonObject bound) => bound["messages"]![1]!["content"]![0]!["file"]!["file_data"]!.GetValue<string>();
}
