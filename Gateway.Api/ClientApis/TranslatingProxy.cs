using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// The front end of <c>/v1/messages</c> and <c>/v1/responses</c>: the same steps as
/// <see cref="OpenAiProxy"/> — key, body, the key grain's <c>Send</c>/<c>Stream</c> — with the
/// client's body handed over as it came (the key grain translates it once into the internal
/// request) and the filtered answer translated back into the client's shape.
/// </summary>
internal sealed class TranslatingProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal, TokenCounter counter)
{
    /// <param name="countTokens">Messages' <c>count_tokens</c>: answered by the gateway, no provider call.</param>
    public async Task HandleAsync(HttpContext context, ClientApiShape shape, bool countTokens = false)
    {
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;
        var request = new AdmissionRequest(requestId, string.Empty, RequestOperation.ChatCompletions, null, ClientAddress.Of(context), ClientAddress.UserAgent(context)) { Api = countTokens ? ClientApi.MessagesCountTokens : shape.Api };

        var secret = shape.ReadKey(context.Request);
        var (keyId, secretHash) = secret is null ? (null, string.Empty) : await keys.ResolveAsync(secret);
        if (keyId is null)
        {
            await refusal.WriteAsync(context, secret, shape.WriteErrorAsync);
            return;
        }

        var read = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBytes, bodyOptions.Value.Timeout);
        if (read.Body is not { } body)
        {
            var rejection = audit.Rejection(request, read.Outcome, read.Error?.Status, keyId);
            if (read.Error is { } bodyError)
            {
                context.Response.Headers.Connection = "close";
                await shape.WriteErrorAsync(context.Response, await audit.RecordAsync(rejection, bodyError));
            }
            else
            {
                await audit.RecordUnansweredAsync(rejection);
            }

            return;
        }

        request = request with { PresentedSecretSha256 = secretHash, Body = body };
        if (countTokens)
        {
            var (status, counted, refused) = await counter.CountAsync(request, keyId);
            if (refused is not null)
            {
                await shape.WriteErrorAsync(context.Response, refused);
                return;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(counted, context.RequestAborted);
            return;
        }

        var key = grains.GetGrain<IApiKeyGrain>(keyId);
        if (StreamRequest.IsStreamed(body))
        {
            await RelayStreamAsync(context, shape, shape.OpenStream(requestId, string.Empty), stop => key.Stream(request, stop));
            return;
        }

        // As on Chat Completions: a client that goes away stops the waiting, not the call.
        var reply = await key.Send(request).WaitAsync(context.RequestAborted);
        if (reply.Verdict is { } verdict)
        {
            RateLimitHeaders.Write(context.Response, verdict.RateLimits, verdict.RetryAfter);
            DroppedFieldsHeader.Write(context.Response, verdict);
        }

        if (AdmissionErrors.Refusal(reply) is { } error)
        {
            await shape.WriteErrorAsync(context.Response, error);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(shape.TranslateAnswer(reply.Body!, requestId), context.RequestAborted);
    }

    /// <summary>
    /// <see cref="ServerSentEvents.RelayAsync"/> with each filtered chunk translated: nothing is
    /// sent before the first event, which carries the verdict, so a refusal keeps its status.
    /// </summary>
    private static async Task RelayStreamAsync(HttpContext context, ClientApiShape shape, IClientStream translation, Func<CancellationToken, IAsyncEnumerable<StreamEvent>> open)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        using var stop = new CancellationTokenSource();
        await using var enumerator = open(stop.Token).GetAsyncEnumerator(stop.Token);
        var hasCurrent = await enumerator.MoveNextAsync();
        await using var cancelOnAbort = aborted.Register(stop.Cancel);
        if (hasCurrent && enumerator.Current.Verdict is { } verdict)
        {
            RateLimitHeaders.Write(response, verdict.RateLimits, verdict.RetryAfter);
            DroppedFieldsHeader.Write(response, verdict);
        }

        if (hasCurrent && AdmissionErrors.Refusal(enumerator.Current.Verdict, enumerator.Current.Failure) is { } refused)
        {
            await shape.WriteErrorAsync(response, refused);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        // Translated events are written straight into the response's buffer and flushed, as on
        // Chat Completions, only when the next event is not ready yet.
        var writer = response.BodyWriter;
        using var events = new SseEventWriter(writer);
        while (hasCurrent)
        {
            if (enumerator.Current.Failure is { } failure)
            {
                translation.Fail(events, AdmissionErrors.From(failure));
                await writer.FlushAsync(aborted);
                return;
            }

            if (enumerator.Current.Data is { } data)
            {
                translation.Chunk(data, events);
            }

            var next = enumerator.MoveNextAsync();
            if (!next.IsCompleted)
            {
                try
                {
                    await writer.FlushAsync(aborted);
                }
                catch
                {
                    // The client went away mid-flush: the pending step must end before the
                    // enumerator is disposed.
                    await Task.WhenAny(next.AsTask());
                    throw;
                }
            }

            hasCurrent = await next;
        }

        translation.Finish(events);
        await writer.FlushAsync(aborted);
    }
}
