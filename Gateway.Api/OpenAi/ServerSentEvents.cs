using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Gateway.OpenAi;

/// <summary>Relays provider chunks to the client as OpenAI's server-sent events.</summary>
internal static class ServerSentEvents
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

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
        }

        if (hasCurrent && AdmissionErrors.Refusal(enumerator.Current.Verdict, enumerator.Current.Failure) is { } refused)
        {
            await refused.WriteAsync(response);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        while (hasCurrent)
        {
            if (enumerator.Current.Failure is { } failure)
            {
                // Bytes have been sent, so the status can no longer change: end with an error
                // event and without [DONE], which clients read as a broken stream.
                await WriteEventAsync(response, AdmissionErrors.From(failure).ToUtf8(), aborted);
                return;
            }

            if (enumerator.Current.Data is { } data)
            {
                await WriteEventAsync(response, data, aborted);
            }

            hasCurrent = await enumerator.MoveNextAsync();
        }

        await response.Body.WriteAsync(Done, aborted);
        await response.Body.FlushAsync(aborted);
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] data, CancellationToken aborted)
    {
        await response.Body.WriteAsync(DataPrefix, aborted);
        await response.Body.WriteAsync(data, aborted);
        await response.Body.WriteAsync(EventEnd, aborted);
        await response.Body.FlushAsync(aborted);
    }
}
