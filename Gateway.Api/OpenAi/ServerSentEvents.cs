using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Gateway.OpenAi;

/// <summary>Relays provider chunks to the client as OpenAI's server-sent events.</summary>
internal static class ServerSentEvents
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static async Task RelayAsync(HttpContext context, IAsyncEnumerable<StreamEvent> events)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        await using var enumerator = events.GetAsyncEnumerator(aborted);

        // Nothing is sent until the provider's first event: a provider that fails before its
        // first byte still gets the client a proper HTTP error status.
        var hasCurrent = await enumerator.MoveNextAsync();
        if (hasCurrent && enumerator.Current.Failure is { } early)
        {
            await AdmissionErrors.From(early).WriteAsync(response);
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

            await WriteEventAsync(response, enumerator.Current.Data!, aborted);
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
