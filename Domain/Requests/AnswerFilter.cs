using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;

namespace Synapse.Requests;

/// <summary>
/// Response-side DLP for one call: the whole answer at once, or a stream chunk by chunk through
/// the hold-back filter. What it lets through is what the client reads; an answer it cannot
/// finish scanning is withheld, never sent unscanned. It also collects the answer's text and
/// usage for the audit log and settlement.
/// </summary>
public sealed class AnswerFilter(DlpScanner scanner, CallOutcome outcome)
{
    private static readonly int Content = Array.IndexOf(AnswerFields.TextFields, "content");

    private StreamingResponseFilter? _stream;

    /// <summary>Whether a stream's token counts reach the client (<see cref="StreamingResponseFilter.RelaysUsage"/>).</summary>
    public bool RelaysUsage { get; init; } = true;

    /// <summary>True once a stream was stopped by a <c>block</c>: nothing more may be sent.</summary>
    public bool IsBlocked => _stream?.IsBlocked ?? false;

    /// <summary>
    /// A whole chat answer: the filtered body, or the failure that withholds it. One that is not a
    /// chat completion (no <c>choices</c>) is withheld as the provider's failure, as an embeddings
    /// answer that is not a list is (before, <c>{"x":…}</c> reached the client as a completion
    /// with no choices).
    /// </summary>
    public ProviderReply Whole(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var (filtered, verdict) = ResponseDlp.Apply(body, scanner);
            outcome.Dlp = verdict;
            outcome.Answer.AddCompletion(body);
            return new ProviderReply(filtered, null);
        }
        catch (InvalidDataException)
        {
            return new ProviderReply(null, NotChatCompletion);
        }
        catch (System.Text.Json.JsonException)
        {
            return new ProviderReply(null, Unreadable);
        }
        catch (DlpScanException)
        {
            return new ProviderReply(null, DlpFailures.ScanFailed);
        }
    }

    /// <summary>
    /// An embeddings answer, rebuilt from its vectors and counts (<see cref="EmbeddingsAnswer"/>);
    /// one that is not an embeddings list is withheld, never passed on as the provider wrote it.
    /// </summary>
    /// <param name="base64">The client asked for its vectors as base64 (<see cref="ProviderCall.ClientWantsBase64"/>).</param>
    public static ProviderReply Embeddings(byte[] body, string model, bool base64)
    {
        try
        {
            return new ProviderReply(EmbeddingsAnswer.Rebuild(body, model, base64), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return new ProviderReply(null, NotEmbeddings);
        }
    }

    private static ProviderFailure NotChatCompletion { get; } =
        new(UpstreamFailures.UpstreamError, "The provider's answer was not a chat completion, so it was withheld.");

    /// <summary>
    /// An answer that is not well-formed JSON in UTF-8 (bytes of another encoding, a key written
    /// twice so that the client and DLP could read different values): nothing could be read, so it
    /// is withheld as the provider's failure — not as a DLP scan that ran out of time.
    /// </summary>
    public static ProviderFailure Unreadable { get; } =
        new(UpstreamFailures.UpstreamError, "The provider's answer could not be read (it was not well-formed JSON in UTF-8), so it was withheld.");

    private static ProviderFailure NotEmbeddings { get; } =
        new(UpstreamFailures.UpstreamError, "The provider's answer was not an embeddings list, so it was withheld.");

    /// <summary>One upstream chunk: what may be sent now (a scan failure ends the stream).</summary>
    public IReadOnlyList<StreamEvent> Chunk(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _stream ??= new StreamingResponseFilter(scanner) { RelaysUsage = RelaysUsage };

        // Nearly every chunk is one choice's text (TextDeltaChunk): read once, for the audit
        // digest's text and for the filter; any other chunk is parsed by each on its own.
        var textDelta = TextDeltaChunk.TryRead(data);
        if (textDelta is null)
        {
            outcome.Answer.AddChunk(data);
        }
        else
        {
            for (var i = 0; i < textDelta.Texts.Length; i++)
            {
                if (textDelta.Texts[i] is not { } text)
                {
                    continue;
                }

                if (i == Content)
                {
                    outcome.Answer.AddText(textDelta.Index, text);
                }
                else
                {
                    outcome.Answer.AddOther(text);
                }
            }
        }

        // OpenAI sends "usage":null on every chunk before the one with the counts: a null never
        // replaces counts already read.
        if (UsageReader.MayCarryUsage(data) && UsageReader.Read(data) is var usage && usage != default)
        {
            outcome.Usage = usage;
        }

        try
        {
            var chunks = _stream.Filter(data, textDelta);
            outcome.Dlp = _stream.Verdict;
            return [.. chunks.Select(c => new StreamEvent(c, null))];
        }
        catch (System.Text.Json.JsonException)
        {
            outcome.Failure = Unreadable;
            return [new StreamEvent(null, Unreadable)];
        }
        catch (DlpScanException)
        {
            outcome.Failure = DlpFailures.ScanFailed;
            return [new StreamEvent(null, DlpFailures.ScanFailed)];
        }
    }

    /// <summary>What the filter still held back when the upstream stream ended.</summary>
    public IReadOnlyList<StreamEvent> Rest()
    {
        if (_stream is null)
        {
            return [];
        }

        try
        {
            var rest = _stream.Complete();
            outcome.Dlp = _stream.Verdict;
            return [.. rest.Select(c => new StreamEvent(c, null))];
        }
        catch (DlpScanException)
        {
            outcome.Failure = DlpFailures.ScanFailed;
            return [new StreamEvent(null, DlpFailures.ScanFailed)];
        }
    }
}
