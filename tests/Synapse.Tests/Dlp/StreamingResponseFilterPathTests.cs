using System.Text;
using System.Text.Json;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Tests.Dlp;

/// <summary>
/// <see cref="StreamingResponseFilter"/> reads the common chunk (<see cref="TextDeltaChunk"/>)
/// without a DOM. These tests hold it to the general path: the same generated streams — identity
/// fields of every type and order, escaped names, unknown and repeated fields, several choices,
/// tool calls, log probabilities, finishing chunks, usage, broken JSON, bytes that are not UTF-8,
/// escapes that are lone surrogates, and text that splits
/// e-mail addresses and card numbers across chunks under redact and block policies — through a
/// filter with the direct path and one without must send the same bytes, fail the same way and
/// end with the same verdict.
/// </summary>
public sealed class StreamingResponseFilterPathTests
{
    private static readonly DlpScanner Redacting = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.Email] = DlpAction.Redact,
        [DlpCategories.CreditCard] = DlpAction.Redact,
        [DlpCategories.Phone] = DlpAction.Alert,
    }));

    private static readonly DlpScanner Blocking = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.Email] = DlpAction.Redact,
        [DlpCategories.CreditCard] = DlpAction.Block,
    }));

    private static readonly string[] Texts =
    [
        "Hello", " there", "", "Contact ali", "ce@exam", "ple.com today", "card 4111 1111 ", "1111 1111 done",
        "héllo 😀 ", "\"quoted\"\n", "<b>&'+</b>", "\u0000\u001f", "call +44 20 7946 0958", "alice@example.com",
        "4111111111111111", "plain words ",
    ];

    [Fact]
    public void TextDeltaChunk_ReadsTheMockStreamsShape_AndLeavesEveryOtherShapeToTheGeneralPath()
    {
        Assert.NotNull(TextDeltaChunk.TryRead("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}]}"""u8));
        Assert.NotNull(TextDeltaChunk.TryRead("""{"choices":[{"delta":{"role":"assistant","content":""}}],"obfuscation":"x"}"""u8));
        Assert.NotNull(TextDeltaChunk.TryRead("""{"choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}"""u8));
        foreach (var other in (string[])
        [
            """{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0}]}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"Hi"},"logprobs":{"content":[]}}]}""",
            """{"choices":[],"usage":{"prompt_tokens":1}}""",
            """{"choices":[{"delta":{}},{"delta":{}}]}""",
            """{"choices":[{"delta":{"content":"a","content":"b"}}]}""",
            """{"id":"a","id":"b","choices":[{"delta":{}}]}""",
            """{"created":1.5,"choices":[{"delta":{}}]}""",
            """{"choices":[{"delta":{}}]} x""",
            """{"choices":[{"delta":{}}""",
            """[]""",
        ])
        {
            Assert.Null(TextDeltaChunk.TryRead(Encoding.UTF8.GetBytes(other)));
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void GeneratedStreams_SendTheSameBytesAndVerdictOnBothPaths(int seed, bool blocking)
    {
        var random = new Random(seed);
        var scanner = blocking ? Blocking : Redacting;
        int direct = 0, general = 0, streams = 0;
        for (var stream = 0; stream < 400; stream++)
        {
            var chunks = Stream(random);
            var withDirect = new StreamingResponseFilter(scanner);
            var domOnly = new StreamingResponseFilter(scanner) { ReadsTextDeltasDirectly = false };
            var failed = false;
            for (var i = 0; i < chunks.Count && !failed; i++)
            {
                var expected = Run(() => domOnly.Filter(chunks[i]));
                var actual = Run(() => withDirect.Filter(chunks[i]));
                Assert.Equal(expected, actual);
                failed = expected.StartsWith("throws ", StringComparison.Ordinal);
                if (i > 0 && !domOnly.IsBlocked)
                {
                    _ = TextDeltaChunk.TryRead(chunks[i]) is null ? general++ : direct++;
                }
            }

            if (!failed)
            {
                Assert.Equal(Run(domOnly.Complete), Run(withDirect.Complete));
            }

            Assert.Equal(domOnly.IsBlocked, withDirect.IsBlocked);
            Assert.Equal(Describe(domOnly.Verdict), Describe(withDirect.Verdict));
            streams++;
        }

        // Not vacuous: most chunks could take the direct path, and hundreds had to take the other.
        Assert.Equal(400, streams);
        Assert.True(direct > general, $"direct {direct}, general {general}");
        Assert.True(general > 100, $"general {general}");
    }

    [Fact]
    public void UsageOnAChunkWithAChoice_ReachesOnlyAClientThatAsked()
    {
        var chunk = """{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"""u8.ToArray();

        var relayed = Encoding.UTF8.GetString(new StreamingResponseFilter(Redacting).Filter(chunk).Single());
        var withheld = Encoding.UTF8.GetString(new StreamingResponseFilter(Redacting) { RelaysUsage = false }.Filter(chunk).Single());

        Assert.Contains("\"usage\":{\"prompt_tokens\":3", relayed, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", withheld, StringComparison.Ordinal);
        Assert.DoesNotContain("usage", withheld, StringComparison.Ordinal);
    }

    private static string Run(Func<IReadOnlyList<byte[]>> filter)
    {
        try
        {
            return string.Join("\n", filter().Select(Encoding.UTF8.GetString));
        }
        catch (Exception e)
        {
            return "throws " + e.GetType().Name;
        }
    }

    private static string Describe(DlpVerdict verdict) =>
        $"blocked {string.Join(',', verdict.BlockedCategories)}; redacted {string.Join(',', verdict.RedactedCategories)}; alerted {string.Join(',', verdict.AlertedCategories)}";

    /// <summary>A stream: mostly text deltas, now and then every other shape a provider sends.</summary>
    private static List<byte[]> Stream(Random random)
    {
        var chunks = new List<byte[]>();
        var length = random.Next(2, 14);
        for (var i = 0; i < length; i++)
        {
            var chunk = Encoding.UTF8.GetBytes(Chunk(random, last: i == length - 1));
            if (random.Next(200) == 0)
            {
                chunk[random.Next(chunk.Length)] = 0xFF; // not UTF-8 any more
            }

            chunks.Add(chunk);
        }

        return chunks;
    }

    private static string Chunk(Random random, bool last)
    {
        if (random.Next(60) == 0)
        {
            return random.Next(3) switch
            {
                0 => """{"choices":[{"delta":{"content":"cut""",
                1 => """{"choices":[{"delta":{"content":"x"}}]} trailing""",
                _ => """{"choices":[{"delta":{"content":"x"}}],"id":"a","id":"b"}""",
            };
        }

        var fields = new List<string>();
        AddSometimes(fields, random, 9, "\"id\":" + Pick(random, "\"chatcmpl-1\"", "\"chatcmpl-é\"", "\"bob@example.com\"", "7", "null"));
        AddSometimes(fields, random, 9, "\"object\":" + Pick(random, "\"chat.completion.chunk\"", "\"other\"", "5", "null", "[1]"));
        AddSometimes(fields, random, 8, "\"created\":" + Pick(random, "1764500000", "1764500000", "-3", "1.5", "\"soon\"", "true"));
        AddSometimes(fields, random, 8, "\"model\":" + Pick(random, "\"mock-model\"", "\"mock-model\"", "\"m\\u006fdel\"", "{\"a\":{\"b\":[1,{\"c\":2}]}}"));
        if (random.Next(40) == 0)
        {
            fields.Add("\"meta\":{\"a\":[{\"b\":1,\"b\":2}]}"); // repeated deep inside a field both paths drop
        }

        AddSometimes(fields, random, 4, "\"system_fingerprint\":" + Pick(random, "\"fp_1\"", "null"));
        AddSometimes(fields, random, 3, "\"service_tier\":" + Pick(random, "\"default\"", "\"4111 1111 1111 1111\""));
        AddSometimes(fields, random, 3, "\"obfuscation\":\"abc\"");
        if (random.Next(40) == 0)
        {
            fields.Add("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}");
        }
        else if (random.Next(4) == 0)
        {
            fields.Add("\"usage\":null"); // OpenAI's every chunk but the last, usage asked for
        }

        fields.Add("\"choices\":" + random.Next(30) switch
        {
            0 => "[]",
            1 => "{}",
            2 => $"[{Choice(random, last)},{Choice(random, last)}]",
            3 => $"[1,{Choice(random, last)}]",
            _ => $"[{Choice(random, last)}]",
        });
        return "{" + string.Join(",", Shuffle(random, fields)) + "}";
    }

    private static string Choice(Random random, bool last)
    {
        var fields = new List<string>();
        AddSometimes(fields, random, 9, "\"index\":" + Pick(random, "0", "0", "0", "1", "1.5", "\"0\"", "4111111111111111", "-1", "4294967296"));
        AddSometimes(fields, random, 9, "\"delta\":" + (random.Next(15) == 0 ? Pick(random, "null", "[]") : Delta(random)));
        AddSometimes(fields, random, 5, "\"logprobs\":" + (random.Next(20) == 0
            ? "{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.1,\"bytes\":[72,105],\"top_logprobs\":[]}]}"
            : "null"));
        AddSometimes(fields, random, 5, "\"finish_reason\":" + (last || random.Next(25) == 0 ? Pick(random, "\"stop\"", "\"length\"", "\"weird\"") : "null"));
        AddSometimes(fields, random, 1, "\"extra\":{\"x\":[1,2]}");
        if (random.Next(50) == 0)
        {
            fields.Add("\"index\":0");
        }

        return "{" + string.Join(",", Shuffle(random, fields)) + "}";
    }

    private static string Delta(Random random)
    {
        var fields = new List<string>();
        AddSometimes(fields, random, 2, "\"role\":" + Pick(random, "\"assistant\"", "null", "\"user\""));
        var name = Pick(random, "content", "content", "content", "refusal", "reasoning", "reasoning_content");
        var escapedName = random.Next(10) == 0 ? "\\u00" + ((int)name[0]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + name[1..] : name;
        fields.Add($"\"{escapedName}\":" + random.Next(120) switch
        {
            < 6 => Pick(random, "null", "3", "{}"),
            6 => Pick(random, "\"half \\ud83d\"", "\"\\ude00 low\"", "\"pair \\ud83d\\ude00\""), // escapes: a lone surrogate, or a pair
            _ => JsonSerializer.Serialize(Pick(random, Texts)),
        });
        AddSometimes(fields, random, 1, "\"content\":" + JsonSerializer.Serialize(Pick(random, Texts)));
        if (random.Next(25) == 0)
        {
            fields.Add(Pick(random,
                "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\\\"alice@example.com\\\"}\"}}]",
                "\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}",
                "\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://e.x\",\"title\":\"t\",\"start_index\":0,\"end_index\":1}}]",
                "\"tool_calls\":null"));
        }

        AddSometimes(fields, random, 1, "\"audio\":{\"id\":\"a\"}");
        return "{" + string.Join(",", Shuffle(random, fields)) + "}";
    }

    /// <summary>Adds <paramref name="field"/> with a chance of <paramref name="inTen"/> in ten.</summary>
    private static void AddSometimes(List<string> fields, Random random, int inTen, string field)
    {
        if (random.Next(10) < inTen)
        {
            fields.Add(field);
        }
    }

    private static string Pick(Random random, params string[] values) => values[random.Next(values.Length)];

    private static List<string> Shuffle(Random random, List<string> fields)
    {
        if (random.Next(4) == 0)
        {
            var array = fields.ToArray();
            random.Shuffle(array);
            return [.. array];
        }

        return fields;
    }
}
