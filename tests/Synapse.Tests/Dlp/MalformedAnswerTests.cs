using System.Text;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Providers;
using Synapse.Requests;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A provider's answer the gateway cannot read whole — one that repeats a property name
/// (<c>"content":"a","content":"b"</c>: two readers could see different values), holds bytes that
/// are not UTF-8, or an escape that is not valid UTF-16 — is bad JSON, as in requests. It is
/// withheld as an answer that could not be read — a whole answer, a stream's chunk, an embeddings
/// list — never an unhandled error inside the answer filter (before: <c>ArgumentException</c> and
/// <c>InvalidOperationException</c> from the DOM), and never worded as a DLP scan that ran out of
/// time (it once was: "could not be checked … in time").
/// </summary>
public sealed class MalformedAnswerTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a","content":"b"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","id":"y","choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"total_tokens":1,"total_tokens":2}}""")]
    public void WholeAnswer_WithARepeatedName_IsWithheldAsUnreadable(string answer)
    {
        var filter = new AnswerFilter(Scanner, Outcome());
        Assert.Equal(AnswerFilter.Unreadable, filter.Whole(Encoding.UTF8.GetBytes(answer)).Failure);

        // The same answer without the repetition goes through: the path ran, and only the repeat failed it.
        var once = answer.Replace(",\"content\":\"b\"", "", StringComparison.Ordinal)
            .Replace(",\"id\":\"y\"", "", StringComparison.Ordinal).Replace(",\"total_tokens\":2", "", StringComparison.Ordinal);
        Assert.NotEqual(answer, once);
        var clean = new AnswerFilter(Scanner, Outcome()).Whole(Encoding.UTF8.GetBytes(once));
        Assert.Null(clean.Failure);
        Assert.NotNull(clean.Body);
    }

    [Theory]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a","content":"b"},"finish_reason":null}]}""")]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null,"index":1}]}""")]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"x":1,"x":2}""")]
    public void StreamedChunk_WithARepeatedName_EndsTheStreamAsUnreadable(string repeated)
    {
        var filter = new AnswerFilter(Scanner, Outcome());
        var first = filter.Chunk(Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"""));
        Assert.NotNull(Assert.Single(first).Data);

        var events = filter.Chunk(Encoding.UTF8.GetBytes(repeated));

        Assert.Equal(AnswerFilter.Unreadable, Assert.Single(events).Failure);
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a\ud800b"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"extra":"\udc00"}""")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a\u00ffb"},"finish_reason":"stop"}]}""")]
    public void WholeAnswer_WithUndecodableText_IsWithheldAsUnreadable(string answer)
    {
        // \u00ff stands for a raw 0xFF byte: not UTF-8.
        var bytes = Bytes(answer);

        Assert.Equal(AnswerFilter.Unreadable, new AnswerFilter(Scanner, Outcome()).Whole(bytes).Failure);
    }

    [Theory]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a\ud83d"},"finish_reason":null}]}""")]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"obfuscation":"\ud83d"}""")]
    [InlineData("""{"id":"c","choices":[{"index":0,"delta":{"content":"a\u00ffb"},"finish_reason":null}]}""")]
    [InlineData("""{"id":"c\u00ff","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}""")]
    public void StreamedChunk_WithUndecodableText_EndsTheStreamAsUnreadable(string chunk)
    {
        var filter = new AnswerFilter(Scanner, Outcome());
        Assert.NotNull(Assert.Single(filter.Chunk(Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"""))).Data);

        var events = filter.Chunk(Bytes(chunk));

        Assert.Equal(AnswerFilter.Unreadable, Assert.Single(events).Failure);
    }

    [Fact]
    public void EmbeddingsAnswer_WithARepeatedName_IsWithheld()
    {
        var reply = AnswerFilter.Embeddings(Encoding.UTF8.GetBytes("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1],"index":1}],"model":"m"}"""), "m", base64: false);

        Assert.Null(reply.Body);
        Assert.NotNull(reply.Failure);
    }

    [Fact]
    public void EmbeddingsAnswer_WithUndecodableText_IsWithheld()
    {
        var reply = AnswerFilter.Embeddings(Bytes("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}],"model":"m\u00ff"}"""), "m", base64: false);

        Assert.Null(reply.Body);
        Assert.NotNull(reply.Failure);
    }

    /// <summary>
    /// A vector that cannot be carried into the encoding the client asked for: a number beyond
    /// float32 (it would be base64 of an infinity), or base64 of a NaN or an infinity (JSON has no
    /// number for it).
    /// </summary>
    [Theory]
    [InlineData("[0.5,1e39]", true)]
    [InlineData("[0.5,-1e400]", true)]
    [InlineData("\"AADAfw==\"", false)]
    [InlineData("\"AACAfw==\"", false)]
    public void EmbeddingsAnswer_WithAValueTheAskedEncodingCannotCarry_IsWithheld(string vector, bool base64)
    {
        var reply = AnswerFilter.Embeddings(Encoding.UTF8.GetBytes($$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":{{vector}}}]}"""), "m", base64);

        Assert.Null(reply.Body);
        Assert.NotNull(reply.Failure);
    }

    /// <summary>The text as UTF-8, with each <c>\u00ff</c> (as written, not an escape) a raw 0xFF byte.</summary>
    private static byte[] Bytes(string json) =>
        json.Split("\\u00ff").Select(Encoding.UTF8.GetBytes).Aggregate((a, b) => [.. a, 0xFF, .. b]);

    private static CallOutcome Outcome() => new(new CallTimings(TimeProvider.System, TimeProvider.System.GetTimestamp()));
}
