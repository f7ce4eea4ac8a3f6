using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Tests.Dlp.Corpus;
using Xunit;

namespace Synapse.Tests.Dlp;

/// <summary>
/// DLP evasion by formatting (issue 9 §4), attacked from each side: other separators, marks and
/// invisible fillers between digits, look-alike letters in secret prefixes — found at original
/// offsets in a one-shot scan, in a prompt, in a non-streamed answer and in a stream cut anywhere.
/// </summary>
public sealed class EvasionTests
{
    private const string Card = "4111111111111111";

    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    private static readonly DlpScanner RedactCards = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.CreditCard] = DlpAction.Redact,
        [DlpCategories.Secret] = DlpAction.Redact,
        [DlpCategories.UsSsn] = DlpAction.Redact,
    }));

    public static TheoryData<string> DisguisedCards() => new(
        "4111.1111.1111.1111", "4111/1111/1111/1111", "4111_1111_1111_1111", "4111 - 1111 - 1111 - 1111", "4111  1111  1111  1111",
        "4111\n1111\n1111\n1111", "4111\r\n1111\r\n1111\r\n1111", "4111 / 1111 / 1111 / 1111", "4111|1111|1111|1111", "4111,1111,1111,1111",
        "4111; 1111; 1111; 1111", "4,111,111,111,111,111", "4111\t1111\t1111\t1111", "4111*1111*1111*1111", "4111•1111•1111•1111",
        "4111·1111·1111·1111", "4111\u28001111\u28001111\u28001111", "4111\u20281111\u20281111\u20281111",
        Interleave(Card, "\u0336"), Interleave(Card, "\u0301"), Interleave(Card, "\uFE0F\u20E3"), Interleave(Card, "\u20DD"),
        Interleave(Card, "\u3164"), Interleave(Card, "\u115F"), Interleave(Card, "\uFFA0"), Interleave(Card, "\u034F"),
        Interleave(Card, "\u180B"), Interleave(Card, "\U000E0020"), Interleave("４１１１ １１１１ １１１１ １１１１", "\u0332"),

        // Escapes a model reads as the character: HTML references, percent-escapes, backslash escapes.
        "4111&#32;1111&#32;1111&#32;1111", "4111&#x2D;1111&#x2d;1111&#X2D;1111", "4111&nbsp;1111&nbsp;1111&nbsp;1111",
        "&#52;&#49;&#49;&#49; 1111 1111 1111", "4111%201111%201111%201111", "\\u0034111 1111 1111 \\u0031111",
        "4111\\n1111\\n1111\\n1111", "4111\\r\\n1111\\r\\n1111\\r\\n1111", "4111\\t1111\\t1111\\t1111",
        "4111\\x201111\\x201111\\x201111", "4111&#xFF0E;1111&#xFF0E;1111&#xFF0E;1111", Interleave(Card, "&#x336;"));

    [Theory]
    [InlineData("jane%40example.com")]
    [InlineData("jane&#64;example.com")]
    [InlineData("jane&commat;example&period;com")]
    [InlineData("jane\\u0040example.com")]
    public void Scan_EscapedEmailAddress_IsRedactedWhole(string address)
    {
        var result = Scanner.Scan($"mail {address} today");

        var finding = Assert.Single(result.Findings);
        Assert.Equal((DlpCategories.Email, 5, address.Length), (finding.Category, finding.Start, finding.Length));
        Assert.Equal("mail [REDACTED:EMAIL] today", result.RedactedText);
    }

    public static TheoryData<string> SpeltOutAddresses() => new(
        "jane [at] example [dot] com", "jane(at)example(dot)com", "JANE {AT} EXAMPLE {DOT} ORG", "jane<at>example<dot>com",
        "jane [ at ] mail [ dot ] example [ dot ] co [ dot ] uk", "jane [at] example.com", "jane@example [dot] com", "jane\t[at]\texample\t[dot]\tcom");

    [Theory]
    [MemberData(nameof(SpeltOutAddresses))]
    public void Scan_AddressSpeltWithBracketedWords_IsRedactedWhole(string address)
    {
        var result = Scanner.Scan($"mail {address} today");

        var finding = Assert.Single(result.Findings);
        Assert.Equal((DlpCategories.Email, 5, address.Length), (finding.Category, finding.Start, finding.Length));
        Assert.Equal("mail [REDACTED:EMAIL] today", result.RedactedText);
    }

    [Theory]
    [MemberData(nameof(SpeltOutAddresses))]
    public void Stream_AddressSpeltWithBracketedWords_CutAnywhere_NeverLeaks(string address)
    {
        var text = "Write to " + address + " (office hours).";

        Assert.Equal("Write to [REDACTED:EMAIL] (office hours).", Scanner.Scan(text).RedactedText);
        AssertEveryCutMatchesTheOneShotScan(Scanner, text);
    }

    [Theory]
    [InlineData("see [at] the top, meet (at) 5pm, f(dot) and arr[at] i")]
    [InlineData("a [link](https://example.com) and [at](https://example.com), {\"at\": [1, 2]}, <at> and [dot] alone")]
    [InlineData("we met at example dot com")]
    public void Scan_BracketedWordsWithoutAnAddress_HaveNoFindings(string text) => Assert.Empty(Scanner.Scan(text).Findings);

    [Theory]
    [InlineData("R&D grew 50% in Q3 &amp; more; see C:\\users\\x and 100%.")]
    [InlineData("{\"path\":\"C:\\\\new\\\\table\", \"say\":\"a \\\"quote\\\", a \\/ slash\\n\\tand 4111\\n1111\"}")]
    [InlineData("4111&#32;1111 is not a card; &#32; alone is a space; %zz, \\u00zz, &#;, &nosuch; stay text")]
    public void Scan_TextWithEscapesAndNoData_HasNoFindings(string text) => Assert.Empty(Scanner.Scan(text).Findings);

    /// <summary>
    /// Tool-call arguments and JSON-mode answers are JSON text inside a string: an agent writing a
    /// <c>.env</c> sends <c>"# deploy\nAKIA…\n"</c>, whose reader sees a line starting with the key.
    /// Read as written, the key was glued to the <c>n</c> of the escape and no detector saw it begin.
    /// </summary>
    [Theory]
    [InlineData("aws")]
    [InlineData("github")]
    [InlineData("stripe")]
    [InlineData("anthropic")]
    public void Scan_AKeyAtTheStartOfALine_InJsonText_IsFound_OneShotAndCutAnywhere(string kind)
    {
        var key = new SyntheticValues(7).Generate(kind);
        var arguments = JsonSerializer.Serialize(new { path = ".env", content = $"# deploy\n{key}\nDEBUG=1\n" });
        Assert.Contains("\\n" + key, arguments, StringComparison.Ordinal);

        var result = RedactCards.Scan(arguments);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((DlpCategories.Secret, arguments.IndexOf(key, StringComparison.Ordinal), key.Length), (finding.Category, finding.Start, finding.Length));
        Assert.DoesNotContain(key, result.RedactedText, StringComparison.Ordinal);
        AssertEveryCutMatchesTheOneShotScan(RedactCards, arguments);
    }

    [Theory]
    [MemberData(nameof(DisguisedCards))]
    public void Scan_DisguisedCardNumber_IsRedactedAtItsOriginalOffsets(string card)
    {
        var text = "pay «" + card + "» now";
        var result = RedactCards.Scan(text);

        var finding = Assert.Single(result.Findings);
        Assert.Equal((DlpCategories.CreditCard, 5, card.Length), (finding.Category, finding.Start, finding.Length));
        Assert.Equal("pay «[REDACTED:CREDIT_CARD]» now", result.RedactedText);
    }

    [Theory]
    [MemberData(nameof(DisguisedCards))]
    public void Stream_DisguisedCardNumber_CutAnywhere_NeverLeaksAndMatchesTheOneShotScan(string card)
    {
        AssertEveryCutMatchesTheOneShotScan(RedactCards, "Here it is: " + card + " — keep it safe.");
    }

    [Theory]
    [InlineData("536.90.4399")]
    [InlineData("536 / 90 / 4399")]
    [InlineData("536\n90\n4399")]
    [InlineData("536_90_4399")]
    [InlineData("5\u03363\u03366-9\u03360-4399")]
    [InlineData("536\u3164-90-4399")]
    public void Scan_DisguisedSsn_IsFound(string ssn) =>
        Assert.Equal(DlpCategories.UsSsn, Assert.Single(Scanner.Scan($"employee {ssn} on file").Findings).Category);

    [Theory]
    [InlineData("536-90.4399")]
    [InlineData("536.90-4399")]
    [InlineData("536 -- 90 -- 4399")]
    public void Scan_SsnShapeWithMixedOrDoubledSeparators_IsNotAnSsn(string text) =>
        Assert.DoesNotContain(Scanner.Scan($"ticket {text} closed").Findings, f => f.Category == DlpCategories.UsSsn);

    public static TheoryData<string, string> ConfusedKeys()
    {
        var values = new SyntheticValues(21);
        var data = new TheoryData<string, string>();
        foreach (var kind in (string[])["openai", "anthropic", "aws", "github", "github-pat", "slack", "stripe", "google", "jwt"])
        {
            data.Add(kind, values.Generate(kind));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConfusedKeys))]
    public void Scan_EveryLookAlikeOfEveryPrefixLetter_StillFindsTheKey(string kind, string key)
    {
        var prefixLength = Synapse.Dlp.Detection.SecretPrefixes.Tokens.Where(p => key.StartsWith(p, StringComparison.Ordinal)).Max(p => p.Length);
        var tried = 0;
        for (var position = 0; position < prefixLength; position++)
        {
            foreach (var lookAlike in LookAlikes(key[position]))
            {
                var disguised = key[..position] + lookAlike + key[(position + 1)..];
                var finding = Assert.Single(Scanner.Scan($"{kind}: {disguised} !").Findings);
                Assert.Equal((kind.Length + 2, disguised.Length), (finding.Start, finding.Length));
                tried++;
            }
        }

        Assert.True(tried > 0, $"no look-alike tried for {kind}");
    }

    [Fact]
    public void Scan_LookAlikesInAPemHeader_StillBlockTheKey()
    {
        var pem = new SyntheticValues(22).Pem().Replace("BEGIN", "BЕGІN", StringComparison.Ordinal).Replace("KEY", "ΚΕΥ", StringComparison.Ordinal);
        var result = Scanner.Scan("key:\n" + pem);
        Assert.True(result.IsBlocked);
        Assert.Equal(5, Assert.Single(result.Findings).Start);
    }

    [Fact]
    public void Scan_CyrillicAndGreekProse_IsNotFoldedIntoFindings()
    {
        Assert.Empty(Scanner.Scan("Ѕкажи, где АКІА-отчёт и ѕк-документы? Η ΑΚΙΑ και το ΕΥJ είναι λέξεις.").Findings);
    }

    [Fact]
    public void Prompt_WithADisguisedCardAndAConfusedKey_IsBlockedBeforeTheProvider()
    {
        var key = new SyntheticValues(23).Generate("github");
        var disguisedKey = "gh\u0440" + key[3..];
        var bound = JsonNode.Parse(JsonSerializer.Serialize(new
        {
            messages = new object[]
            {
                new { role = "user", content = $"card 4111\u3164.1111.1111.1111 please" },
                new { role = "user", content = new object[] { new { type = "text", text = $"token {disguisedKey}" } } },
            },
        }))!.AsObject();

        var verdict = PromptDlp.Apply(bound, Scanner, skipFirstMessage: false);

        Assert.True(verdict.IsBlocked);
        Assert.Contains(DlpCategories.CreditCard, verdict.BlockedCategories);
        Assert.Contains(DlpCategories.Secret, verdict.BlockedCategories);
    }

    [Fact]
    public void Answer_WithADisguisedSsn_IsRedactedInPlace()
    {
        var scanner = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction> { [DlpCategories.UsSsn] = DlpAction.Redact }));
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            choices = new[] { new { index = 0, message = new { role = "assistant", content = "The SSN is 536 . 90 . 4399, as asked." }, finish_reason = "stop" } },
        });

        var (filtered, verdict) = ResponseDlp.Apply(body, scanner);

        var content = JsonNode.Parse(filtered)!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal("The SSN is [REDACTED:US_SSN], as asked.", content);
        Assert.Equal([DlpCategories.UsSsn], verdict.RedactedCategories);
    }

    [Fact]
    public void StreamedAnswer_WithACardSplitAcrossDeltasByLineBreaks_EndsWithContentFilterAndLeaksNoDigitGroup()
    {
        var filter = new StreamingResponseFilter(Scanner);
        var sent = new StringBuilder();
        foreach (var delta in (string[])["Sure: 4111", "\n1111", "\n11", "11\n1", "111 thanks"])
        {
            foreach (var chunk in filter.Filter(Chunk(delta)))
            {
                sent.Append(JsonNode.Parse(chunk)!["choices"]![0]!["delta"]!["content"]?.GetValue<string>());
                if (JsonNode.Parse(chunk)!["choices"]![0]!["finish_reason"]?.GetValue<string>() is { } reason)
                {
                    Assert.Equal("content_filter", reason);
                }
            }
        }

        Assert.True(filter.IsBlocked);
        Assert.Equal("Sure: ", sent.ToString());
    }

    private static byte[] Chunk(string content) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = "c1",
        @object = "chat.completion.chunk",
        choices = new[] { new { index = 0, delta = new { content }, finish_reason = (string?)null } },
    });

    private static string Interleave(string value, string insert) => string.Join(insert, value.Select(c => c.ToString()));

    /// <summary>The look-alikes of <paramref name="c"/> listed by Unicode's confusables.txt that the fold knows.</summary>
    private static IEnumerable<char> LookAlikes(char c) => c switch
    {
        'a' => ['\u0430', '\u03B1', '\u0251'],
        'e' => ['\u0435', '\u04BD'],
        'o' => ['\u043E', '\u03BF', '\u0585'],
        'p' => ['\u0440', '\u03C1'],
        'c' => ['\u0441', '\u03F2'],
        'x' => ['\u0445'],
        'y' => ['\u0443', '\u03B3', '\u04AF'],
        's' => ['\u0455'],
        'i' => ['\u0456', '\u0131', '\u03B9'],
        'j' => ['\u0458', '\u03F3'],
        'h' => ['\u04BB', '\u0570'],
        'g' => ['\u0261', '\u0581'],
        'u' => ['\u03C5', '\u057D'],
        'n' => ['\u0578'],
        'A' => ['\u0410', '\u0391'],
        'B' => ['\u0412', '\u0392'],
        'E' => ['\u0415', '\u0395'],
        'K' => ['\u041A', '\u039A'],
        'I' => ['\u0406', '\u0399', '\u04C0'],
        'S' => ['\u0405'],
        'J' => ['\u0408', '\u037F'],
        'T' => ['\u0422', '\u03A4'],
        'P' => ['\u0420', '\u03A1'],
        _ => [],
    };

    /// <summary>Streamed in two deltas cut at every position, the text comes out as the one-shot scan redacts it, with the same findings.</summary>
    private static void AssertEveryCutMatchesTheOneShotScan(DlpScanner scanner, string text)
    {
        var expected = scanner.Scan(text);
        for (var cut = 0; cut <= text.Length; cut++)
        {
            var (output, redactor) = StreamHarness.Run(scanner, StreamHarness.SplitAt(text, cut));
            Assert.Equal(expected.RedactedText, output);
            Assert.Equal(expected.Findings, redactor.Findings);
        }
    }
}
