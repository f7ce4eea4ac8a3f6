using System.Text;
using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A streamed choice's channels (content, reasoning, refusal, tool-call arguments) are also read
/// as one text in the order they arrive: a value begun in one and finished in another is found,
/// and the client never receives both halves.
/// </summary>
public sealed class StreamChannelJoinTests
{
    private const string Card = "4111 1111 1111 1111";
    private const string Address = "jane.doe@example.com";

    private static readonly DlpScanner Redacting = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.Email] = DlpAction.Redact,
        [DlpCategories.CreditCard] = DlpAction.Redact,
    }));

    private static readonly DlpScanner Blocking = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.Email] = DlpAction.Redact,
        [DlpCategories.CreditCard] = DlpAction.Block,
    }));

    [Fact]
    public void ACardBegunInTheReasoningAndFinishedInTheContent_IsRedactedWhereItBegins()
    {
        var client = Run(Redacting, Reasoning("Thinking. Card: 4111 1111"), Content(" 1111 1111 is on file."), Finish());

        Assert.Equal("Thinking. Card: [REDACTED:CREDIT_CARD]", client.Text("reasoning_content"));
        Assert.Equal(" is on file.", client.Text("content"));
        Assert.Equal([DlpCategories.CreditCard], client.Filter.Verdict.RedactedCategories);
    }

    [Fact]
    public void AnAddressBegunInTheContentAndFinishedInAToolCallsArguments_IsRedacted()
    {
        var client = Run(Redacting, Content("Forwarding to jane.doe"), ToolArguments(0, "@example.com\"}"), Finish());

        Assert.Equal("Forwarding to [REDACTED:EMAIL]", client.Text("content"));
        Assert.Equal("\"}", client.Text("arguments0"));
        Assert.Equal([DlpCategories.Email], client.Filter.Verdict.RedactedCategories);
    }

    [Fact]
    public void ACardSplitBetweenTwoToolCalls_IsRedacted()
    {
        var client = Run(Redacting, ToolArguments(0, "{\"n\":\"4111 1111"), ToolArguments(1, " 1111 1111\"}"), Finish());

        Assert.Equal("{\"n\":\"[REDACTED:CREDIT_CARD]", client.Text("arguments0"));
        Assert.Equal("\"}", client.Text("arguments1"));
    }

    [Fact]
    public void ABlockedValueSplitAcrossChannels_EndsTheStream_AndNoDigitOfItGoesOut()
    {
        var client = Run(Blocking, Reasoning("Card: 4111 1111"), Content(" 1111 1111 and more text"), Content(" after."), Finish());

        Assert.True(client.Filter.IsBlocked);
        Assert.Equal("content_filter", client.FinishReasons.Single());
        Assert.DoesNotContain("1111", client.AllText, StringComparison.Ordinal);
        Assert.StartsWith("Card: ", client.Text("reasoning_content"), StringComparison.Ordinal);
        Assert.Equal([DlpCategories.CreditCard], client.Filter.Verdict.BlockedCategories);
    }

    [Fact]
    public void AContextWordInOneChannel_MakesAValueOfTheNextAFinding_AndTheVerdictNamesIt()
    {
        var alone = Run(Blocking, Content("Reference AB123456 noted."), Finish());
        var client = Run(Blocking, Reasoning("Their national insurance number is"), Content(" AB123456 noted."), Finish());

        Assert.False(alone.Filter.IsBlocked);
        Assert.True(client.Filter.IsBlocked);
        Assert.DoesNotContain("123456", client.AllText, StringComparison.Ordinal);
        Assert.Equal([DlpCategories.UkNino], client.Filter.Verdict.BlockedCategories);
    }

    [Fact]
    public void AValueInsideOneChannel_InterleavedWithAnother_IsStillFound()
    {
        var client = Run(Redacting, Content("Card 4111 "), Reasoning("hmm "), Content("1111 1111 1111 ok"), Reasoning("done thinking"), Finish());

        Assert.Equal("Card [REDACTED:CREDIT_CARD] ok", client.Text("content"));
        Assert.Equal("hmm done thinking", client.Text("reasoning_content"));
    }

    [Fact]
    public void ProseOnTwoChannels_FlowsBeforeTheFinish()
    {
        var filter = new StreamingResponseFilter(Redacting);
        var sent = new Client(filter);
        sent.Feed(Reasoning("First I think about the question. "));
        for (var i = 0; i < 20; i++)
        {
            sent.Feed(Content($"Word{i} and some more prose "));
        }

        // Before the finishing chunk nearly all of it has gone out: only a channel's last word may
        // wait (the reasoning's, which no later reasoning delta released, goes with the finish).
        Assert.True(sent.Text("content").Length > 500, sent.Text("content"));
        Assert.StartsWith("First I think about the", sent.Text("reasoning_content"), StringComparison.Ordinal);
        sent.Feed(Finish());
        Assert.Equal("First I think about the question. ", sent.Text("reasoning_content"));
        Assert.Equal(string.Concat(Enumerable.Range(0, 20).Select(i => $"Word{i} and some more prose ")), sent.Text("content"));
    }

    [Fact]
    public void ACardOrAddressSplitAtEveryOffsetAcrossTwoChannels_NeverReachesTheClient()
    {
        var random = new Random(13);
        var runs = 0;
        foreach (var value in (string[])[Card, Address])
        {
            for (var split = 1; split < value.Length; split++)
            {
                foreach (var (first, second) in (ChannelPair[])[new(Reasoning, Content), new(Content, ToolArgumentsOf0), new(Content, Refusal)])
                {
                    var chunks = new List<byte[]>();
                    chunks.AddRange(StreamHarness.RandomChunks("Note: " + value[..split], random, 5).Select(t => first(t)));
                    chunks.AddRange(StreamHarness.RandomChunks(value[split..] + " end.", random, 5).Select(t => second(t)));
                    chunks.Add(Finish());
                    var client = Run(Redacting, [.. chunks]);

                    // Not vacuous: the choice's text went out, and the value did not, in either order.
                    Assert.Contains("end.", client.AllText, StringComparison.Ordinal);
                    var joined = string.Concat(client.Channels.Values);
                    var reversed = string.Concat(client.Channels.Values.Reverse());
                    Assert.False(Redacting.Scan(joined).Findings.Any(f => f.Action >= DlpAction.Redact), joined);
                    Assert.False(Redacting.Scan(reversed).Findings.Any(f => f.Action >= DlpAction.Redact), reversed);
                    Assert.Contains("[REDACTED:", joined, StringComparison.Ordinal);
                    runs++;
                }
            }
        }

        Assert.Equal(3 * (Card.Length - 1 + Address.Length - 1), runs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomStreamsOnFourChannels_LoseNoCleanTextAndLeakNoValue(int seed)
    {
        var random = new Random(seed);
        Piece[] channels = [Content, Reasoning, ToolArgumentsOf0, t => ToolArguments(1, t)];
        string[] prose = ["The plan is ready. ", "Step two follows", " and then ", "we check the numbers 12 and 345. ", "Mail me later", "; ok.", "\n", "a", " "];
        string[] values = [Card, Address, "5500 0000 0000 0004", "bob@example.org"];
        int clean = 0, dirty = 0;
        for (var stream = 0; stream < 300; stream++)
        {
            var withValues = stream % 2 == 1;
            var interleaved = random.Next(2) == 0;
            var texts = new List<string>[channels.Length];
            var pieces = new List<(int Channel, string Text)>();
            for (var c = 0; c < channels.Length; c++)
            {
                texts[c] = [];
                if (random.Next(3) == 0 && c > 0)
                {
                    continue;
                }

                var text = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => prose[random.Next(prose.Length)]));
                if (withValues)
                {
                    text += " " + values[random.Next(values.Length)];
                }

                pieces.AddRange(StreamHarness.RandomChunks(text, random, 7).Select(p => (c, p)));
                texts[c].Add(text);
            }

            if (interleaved)
            {
                // Each channel's pieces keep their order; the channels take turns at random.
                pieces = [.. pieces.GroupBy(p => p.Channel).SelectMany(g => g.Select((p, i) => (p, i))).OrderBy(x => x.i * 10 + random.Next(10)).Select(x => x.p)];
            }

            var client = Run(Redacting, [.. pieces.Select(p => channels[p.Channel](p.Text)), Finish()]);

            foreach (var text in client.Channels.Values)
            {
                Assert.False(Redacting.Scan(text).Findings.Any(f => f.Action >= DlpAction.Redact), text);
            }

            if (!withValues)
            {
                // Nothing to find: every channel arrives exactly as sent, in order.
                Assert.Equal(string.Concat(texts[0]), client.Text("content"));
                Assert.Equal(string.Concat(texts[1]), client.Text("reasoning_content"));
                Assert.Equal(string.Concat(texts[2]), client.Text("arguments0"));
                Assert.Equal(string.Concat(texts[3]), client.Text("arguments1"));
                clean++;
            }
            else
            {
                Assert.True(client.AllText.Contains("[REDACTED:", StringComparison.Ordinal), client.AllText);
                dirty++;
            }
        }

        Assert.Equal((150, 150), (clean, dirty));
    }

    [Fact]
    public void AChoiceWithOneChannel_IsReadAsBefore()
    {
        var client = Run(Redacting, Content("Mail jane"), Content(".doe@example.com now"), Finish());

        Assert.Equal("Mail [REDACTED:EMAIL] now", client.Text("content"));
        Assert.Equal([DlpCategories.Email], client.Filter.Verdict.RedactedCategories);
    }

    private delegate byte[] Piece(string text);

    private readonly record struct ChannelPair(Piece First, Piece Second);

    private static byte[] ToolArgumentsOf0(string text) => ToolArguments(0, text);

    private static byte[] Content(string text) => Delta(new JsonObject { ["content"] = text });

    private static byte[] Reasoning(string text) => Delta(new JsonObject { ["reasoning_content"] = text });

    private static byte[] Refusal(string text) => Delta(new JsonObject { ["refusal"] = text });

    private static byte[] ToolArguments(int call, string text) => Delta(new JsonObject
    {
        ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = call, ["function"] = new JsonObject { ["arguments"] = text } }),
    });

    private static byte[] Delta(JsonObject delta) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion.chunk",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }),
    }.ToJsonString());

    private static byte[] Finish() => Encoding.UTF8.GetBytes("""{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""");

    private static Client Run(DlpScanner scanner, params byte[][] chunks)
    {
        var client = new Client(new StreamingResponseFilter(scanner));
        foreach (var chunk in chunks)
        {
            client.Feed(chunk);
        }

        client.Take(client.Filter.Complete());
        return client;
    }

    /// <summary>What the client received: each channel's text, in the order it came.</summary>
    private sealed class Client(StreamingResponseFilter filter)
    {
        public StreamingResponseFilter Filter { get; } = filter;

        public Dictionary<string, string> Channels { get; } = [];

        public List<string> FinishReasons { get; } = [];

        public string AllText => string.Concat(Channels.Values);

        public string Text(string channel) => Channels.GetValueOrDefault(channel, string.Empty);

        public void Feed(byte[] chunk) => Take(Filter.Filter(chunk));

        public void Take(IReadOnlyList<byte[]> chunks)
        {
            foreach (var chunk in chunks)
            {
                foreach (var choice in JsonNode.Parse(chunk)!["choices"]!.AsArray())
                {
                    var delta = choice!["delta"]!.AsObject();
                    foreach (var field in (string[])["content", "reasoning_content", "refusal"])
                    {
                        if (delta[field]?.GetValue<string>() is { } text)
                        {
                            Channels[field] = Text(field) + text;
                        }
                    }

                    foreach (var call in delta["tool_calls"]?.AsArray() ?? [])
                    {
                        if (call!["function"]?["arguments"]?.GetValue<string>() is { } arguments)
                        {
                            var channel = "arguments" + call["index"]!.GetValue<int>();
                            Channels[channel] = Text(channel) + arguments;
                        }
                    }

                    if (choice["finish_reason"]?.GetValue<string>() is { } reason)
                    {
                        FinishReasons.Add(reason);
                    }
                }
            }
        }
    }
}
