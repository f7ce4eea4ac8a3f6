using System.Text;
using System.Text.Json.Nodes;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;
using Synapse.Requests;

namespace Synapse.Tests.Dlp;

/// <summary>
/// The answer's text that the audit log keeps a digest of (<see cref="AnswerText"/>) is, when
/// response DLP redacts nothing, the text the client read: each choice's content, choices in the
/// order of the index the client is sent. The answer filter reads a stream's common chunk once for
/// both (<see cref="TextDeltaChunk"/>) and parses any other chunk for each; whichever way a chunk
/// goes, and however a provider numbers its choices, an auditor who proves the text the client got
/// against the digest must get a match. (Before, choices without an index were run together as
/// choice 0, and a chunk whose index was not a number left its text out of the digest.)
/// </summary>
public sealed class AnswerDigestTextTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    private const string Identity = """ "id":"c1","object":"chat.completion.chunk","created":1,"model":"m", """;

    private static readonly string[] CommonStream =
    [
        Chunk(""" "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]"""),
        Chunk(""" "choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]"""),
        Chunk(""" "choices":[{"index":0,"delta":{"content":"lo, \"wörld\" 😀\n"},"logprobs":null,"finish_reason":null}]"""),
        Chunk(""" "choices":[{"index":0,"delta":{"content":" again"},"logprobs":null,"finish_reason":null}]"""),
        Chunk(""" "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]"""),
        Chunk(""" "choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}"""),
    ];

    public static TheoryData<string[]> Streams => new()
    {
        // The common stream: a role chunk, text chunks, a finishing chunk, usage.
        { CommonStream },
        // Two choices in one chunk, numbered by their place in the array only.
        {
            [
                Chunk(""" "choices":[{"delta":{"role":"assistant","content":"first "}},{"delta":{"role":"assistant","content":"second "}}]"""),
                Chunk(""" "choices":[{"delta":{"content":"one"}},{"delta":{"content":"two"}}]"""),
                Chunk(""" "choices":[{"index":1,"delta":{"content":" more"}}]"""),
            ]
        },
        // An index that is not a number, a choice that is not an object beside a real one, and
        // choices that arrive out of order.
        {
            [
            Chunk(""" "choices":[{"index":0,"delta":{"role":"assistant","content":"a"}}]"""),
                Chunk(""" "choices":[{"index":"0","delta":{"content":"b"}}]"""),
                Chunk(""" "choices":[7,{"index":2,"delta":{"content":"z"}}]"""),
                Chunk(""" "choices":[{"index":0,"delta":{"content":"c"}}]"""),
            ]
        },
    };

    private static string Chunk(string choices) => "{" + Identity + choices + "}";

    [Theory]
    [MemberData(nameof(Streams))]
    public void StreamedAnswer_TheDigestsTextIsTheTextTheClientRead(string[] chunks)
    {
        var outcome = new CallOutcome(new CallTimings(TimeProvider.System, TimeProvider.System.GetTimestamp()));
        var filter = new AnswerFilter(Scanner, outcome);

        var sent = chunks.SelectMany(c => filter.Chunk(Encoding.UTF8.GetBytes(c))).ToList();
        sent.AddRange(filter.Rest());

        Assert.All(sent, e => Assert.Null(e.Failure));
        var read = ClientText(sent);
        Assert.False(string.IsNullOrEmpty(read));
        Assert.Equal(read, outcome.Answer.ToString());
    }

    [Fact]
    public void TheCommonStreamsTextChunks_TakeTheSharedRead()
    {
        // The shared read (one TextDeltaChunk for the digest and the filter) is what the common
        // stream's text chunks go through, so the test above runs it; its other chunks do not.
        Assert.All(CommonStream[1..4], c => Assert.NotNull(TextDeltaChunk.TryRead(Encoding.UTF8.GetBytes(c))));
        Assert.Null(TextDeltaChunk.TryRead(Encoding.UTF8.GetBytes(CommonStream[^1])));
    }

    [Theory]
    [InlineData("""{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"only"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"c","object":"chat.completion","choices":[{"index":2,"message":{"role":"assistant","content":"third"}},{"message":{"role":"assistant","content":"second"}},"x",{"index":"0","message":{"content":"fourth"}}]}""")]
    public void WholeAnswer_TheDigestsTextIsTheTextTheClientRead(string answer)
    {
        var outcome = new CallOutcome(new CallTimings(TimeProvider.System, TimeProvider.System.GetTimestamp()));

        var reply = new AnswerFilter(Scanner, outcome).Whole(Encoding.UTF8.GetBytes(answer));

        Assert.Null(reply.Failure);
        var read = Read(reply.Body!, "message");
        Assert.False(string.IsNullOrEmpty(read));
        Assert.Equal(read, outcome.Answer.ToString());
    }

    /// <summary>What a client reading the events would put together: each choice's content, choices in index order.</summary>
    private static string? ClientText(IEnumerable<StreamEvent> events) =>
        Read(events.Where(e => e.Data is not null).Select(e => e.Data!), "delta");

    private static string? Read(IEnumerable<byte[]> answers, string container)
    {
        var choices = new SortedDictionary<int, StringBuilder>();
        foreach (var answer in answers)
        {
            foreach (var choice in JsonNode.Parse(answer)!["choices"]?.AsArray() ?? [])
            {
                if (choice?[container]?["content"]?.GetValue<string>() is { } content)
                {
                    var index = choice["index"]!.GetValue<int>();
                    (choices.TryGetValue(index, out var b) ? b : choices[index] = new StringBuilder()).Append(content);
                }
            }
        }

        return choices.Count == 0 ? null : string.Join("\n\n", choices.Values.Select(b => b.ToString()));
    }

    private static string? Read(byte[] answer, string container) => Read([answer], container);
}
