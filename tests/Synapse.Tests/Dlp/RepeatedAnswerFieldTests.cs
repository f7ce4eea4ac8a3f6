using System.Text;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Providers;
using Synapse.Requests;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A provider's answer that repeats a property name (<c>"content":"a","content":"b"</c>) is bad
/// JSON to the gateway, as in requests: two readers could see different values. It is withheld
/// with the scan failure a client gets for any answer that cannot be checked — a whole answer,
/// a stream's chunk, an embeddings list — never an unhandled error inside the answer filter.
/// </summary>
public sealed class RepeatedAnswerFieldTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a","content":"b"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"x","id":"y","choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],"usage":{"total_tokens":1,"total_tokens":2}}""")]
    public void WholeAnswer_WithARepeatedName_IsWithheldAsUnscannable(string answer)
    {
        var filter = new AnswerFilter(Scanner, Outcome());
        Assert.Equal(DlpFailures.ScanFailed, filter.Whole(Encoding.UTF8.GetBytes(answer)).Failure);

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
    public void StreamedChunk_WithARepeatedName_EndsTheStreamWithTheScanFailure(string repeated)
    {
        var filter = new AnswerFilter(Scanner, Outcome());
        var first = filter.Chunk(Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"""));
        Assert.NotNull(Assert.Single(first).Data);

        var events = filter.Chunk(Encoding.UTF8.GetBytes(repeated));

        Assert.Equal(DlpFailures.ScanFailed, Assert.Single(events).Failure);
    }

    [Fact]
    public void EmbeddingsAnswer_WithARepeatedName_IsWithheld()
    {
        var reply = AnswerFilter.Embeddings(Encoding.UTF8.GetBytes("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1],"index":1}],"model":"m"}"""), "m");

        Assert.Null(reply.Body);
        Assert.NotNull(reply.Failure);
    }

    private static CallOutcome Outcome() => new(new CallTimings(TimeProvider.System, TimeProvider.System.GetTimestamp()));
}
