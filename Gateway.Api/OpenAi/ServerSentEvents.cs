using System.Buffers;
using System.IO.Pipelines;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Relays a key grain's filtered chunks to the client as server-sent events in the client API's
/// format (<see cref="Format"/> for OpenAI's own; the Messages and Responses APIs bring theirs).
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>OpenAI's Chat Completions stream: <c>data: {chunk}</c> events and <c>data: [DONE]</c>.</summary>
    public static IStreamFormat Format { get; } = new ChatCompletionsFormat();

    /// <param name="open">Opens the stream (resent or not, see <see cref="ClusterCalls.OpenAsync"/>) with the token that stops it.</param>
    /// <param name="unavailable">Answers the client when the cluster could not take the request.</param>
    public static async Task RelayAsync(HttpContext context, ClusterCalls cluster, Func<bool, CancellationToken, IAsyncEnumerable<StreamEvent>> open, long startedAt, Func<Task> unavailable, IStreamFormat format)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;

        // The first step starts the request in its key grain, which admits, audits and settles
        // it. Orleans drops a call whose token is cancelled before it runs, which would leave the
        // client without an answer and the request without its record; so the client's going
        // away only stops the stream once it has started, and the first event is always awaited.
        using var stop = new CancellationTokenSource();
        var opened = await cluster.OpenAsync(resent => open(resent, stop.Token), e => e.IsKeepAlive, startedAt, CancellationToken.None);
        if (!opened.Answered)
        {
            await unavailable();
            return;
        }

        var (enumerator, hasCurrent) = opened.Value;
        try
        {
            // Nothing is sent until the first event, which carries the key's verdict with the
            // provider's first chunk: a refusal, or a provider that fails before its first byte,
            // still gets the client a proper HTTP error status.
            await using var cancelOnAbort = aborted.Register(stop.Cancel);
            if (hasCurrent && enumerator.Current.Verdict is { } verdict)
            {
                RateLimitHeaders.Write(response, verdict.RateLimits, verdict.RetryAfter);
                DroppedFieldsHeader.Write(response, verdict);
            }

            if (hasCurrent && AdmissionErrors.Refusal(enumerator.Current.Verdict, enumerator.Current.Failure) is { } refused)
            {
                await format.WriteRefusalAsync(response, refused);
                return;
            }

            if (!hasCurrent)
            {
                // The key grain ended the sequence without a verdict: its silo went away.
                await unavailable();
                return;
            }

            // The process's stop cuts a stream still running near the end of its grace period
            // (ShutdownCutOff): the client gets the error event its API reads, not a reset.
            var cutOff = context.RequestServices.GetRequiredService<ShutdownCutOff>();
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            var writer = response.BodyWriter;
            using var events = format.Open(writer);
            while (hasCurrent)
            {
                if (enumerator.Current.Failure is { } failure)
                {
                    // Bytes have been sent, so the status can no longer change: end with an error
                    // event (OpenAI's: and without [DONE]), which clients read as a broken stream.
                    events.Fail(AdmissionErrors.From(failure));
                    await writer.FlushAsync(aborted);
                    return;
                }

                if (enumerator.Current.Data is { } data)
                {
                    events.Chunk(data);
                }

                // Events already released by the answer's hold-back go out together: the client is
                // flushed to only when the next event is not ready yet, so no byte waits on a slower
                // one, and a burst costs one write to the socket instead of one per chunk.
                var next = cluster.NextAsync(enumerator, e => e.IsKeepAlive, CancellationToken.None);
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
                        await Task.WhenAny(next);
                        throw;
                    }
                }

                if (!next.IsCompleted && await Task.WhenAny(next, cutOff.WhenCut) != next)
                {
                    // A front end stopping on its own: its silo's stream is stopped after the client
                    // has its event (a silo cut off too sends its own, which is no longer read).
                    events.Fail(AdmissionErrors.From(ShutdownCutOff.Failure));
                    await stop.CancelAsync();
                    try
                    {
                        await writer.FlushAsync(aborted);
                    }
                    finally
                    {
                        // The pending step must end before the enumerator is disposed.
                        await Task.WhenAny(next);
                    }

                    return;
                }

                try
                {
                    hasCurrent = await next;
                }
                catch (Exception e) when (ClusterFailures.IsUnavailable(e) && !aborted.IsCancellationRequested)
                {
                    // The key grain's silo died mid-stream: the client learns it the same way as a
                    // broken upstream, and the request's own events are in the log up to here.
                    events.Fail(cluster.Unavailable);
                    await writer.FlushAsync(aborted);
                    return;
                }
            }

            events.Finish();
            await writer.FlushAsync(aborted);
        }
        finally
        {
            ClusterCalls.DisposeInBackground(enumerator);
        }
    }

    private sealed class ChatCompletionsFormat : IStreamFormat
    {
        public Task WriteRefusalAsync(HttpResponse response, OpenAiError error) => error.WriteAsync(response);

        public IStreamEvents Open(PipeWriter writer) => new Events(writer);

        private sealed class Events(PipeWriter writer) : IStreamEvents
        {
            private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
            private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
            private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

            public void Chunk(ReadOnlySpan<byte> chunk) => Write(chunk);

            public void Fail(OpenAiError error) => Write(error.ToUtf8());

            public void Finish() => writer.Write(Done);

            public void Dispose()
            {
            }

            /// <summary>One event, <c>data: {json}\n\n</c>, copied into the response's buffer (not yet sent).</summary>
            private void Write(ReadOnlySpan<byte> data)
            {
                var length = DataPrefix.Length + data.Length + EventEnd.Length;
                var span = writer.GetSpan(length);
                DataPrefix.CopyTo(span);
                data.CopyTo(span[DataPrefix.Length..]);
                EventEnd.CopyTo(span[(DataPrefix.Length + data.Length)..]);
                writer.Advance(length);
            }
        }
    }
}
