using System.Buffers;
using System.IO.Pipelines;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Gateway.OpenAi;

/// <summary>Relays provider chunks to the client as OpenAI's server-sent events.</summary>
internal static class ServerSentEvents
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    /// <param name="open">Opens the stream with the token that stops it.</param>
    public static async Task RelayAsync(HttpContext context, Func<CancellationToken, IAsyncEnumerable<StreamEvent>> open)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;

        // The first step starts the request in its key grain, which admits, audits and settles
        // it. Orleans drops a call whose token is cancelled before it runs, which would leave the
        // client without an answer and the request without its record; so the client's going
        // away only stops the stream once it has started.
        using var stop = new CancellationTokenSource();
        await using var enumerator = open(stop.Token).GetAsyncEnumerator(stop.Token);

        // Nothing is sent until the first event, which carries the key's verdict with the
        // provider's first chunk: a refusal, or a provider that fails before its first byte,
        // still gets the client a proper HTTP error status.
        var hasCurrent = await enumerator.MoveNextAsync();
        await using var cancelOnAbort = aborted.Register(stop.Cancel);
        if (hasCurrent && enumerator.Current.Verdict is { } verdict)
        {
            RateLimitHeaders.Write(response, verdict.RateLimits, verdict.RetryAfter);
            DroppedFieldsHeader.Write(response, verdict);
        }

        if (hasCurrent && AdmissionErrors.Refusal(enumerator.Current.Verdict, enumerator.Current.Failure) is { } refused)
        {
            await refused.WriteAsync(response);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var writer = response.BodyWriter;
        while (hasCurrent)
        {
            if (enumerator.Current.Failure is { } failure)
            {
                // Bytes have been sent, so the status can no longer change: end with an error
                // event and without [DONE], which clients read as a broken stream.
                WriteEvent(writer, AdmissionErrors.From(failure).ToUtf8());
                await writer.FlushAsync(aborted);
                return;
            }

            if (enumerator.Current.Data is { } data)
            {
                WriteEvent(writer, data);
            }

            // Events already released by the answer's hold-back go out together: the client is
            // flushed to only when the next event is not ready yet, so no byte waits on a slower
            // one, and a burst costs one write to the socket instead of one per chunk.
            var next = enumerator.MoveNextAsync();
            if (!next.IsCompleted)
            {
                try
                {
                    await writer.FlushAsync(aborted);
                }
                catch
                {
                    // The client went away mid-flush: the abort stops the stream, so the pending
                    // step ends soon; it must end before the enumerator is disposed.
                    await Task.WhenAny(next.AsTask());
                    throw;
                }
            }

            hasCurrent = await next;
        }

        writer.Write(Done);
        await writer.FlushAsync(aborted);
    }

    /// <summary>One event, <c>data: {json}\n\n</c>, copied into the response's buffer (not yet sent).</summary>
    private static void WriteEvent(PipeWriter writer, ReadOnlySpan<byte> data)
    {
        var length = DataPrefix.Length + data.Length + EventEnd.Length;
        var span = writer.GetSpan(length);
        DataPrefix.CopyTo(span);
        data.CopyTo(span[DataPrefix.Length..]);
        EventEnd.CopyTo(span[(DataPrefix.Length + data.Length)..]);
        writer.Advance(length);
    }
}
