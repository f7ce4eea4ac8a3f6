using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Telemetry;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// The front end of <c>/v1/messages</c> and <c>/v1/responses</c>: the same steps as
/// <see cref="OpenAiProxy"/> — key, body, the key grain's <c>Send</c>/<c>Stream</c> — with the
/// client's body handed over as it came (the key grain translates it once into the internal
/// request) and the filtered answer translated back into the client's shape. Every call into the
/// cluster goes through <see cref="ClusterCalls"/>, so a lost silo gets the same bounded wait, the
/// same re-send rule and the same 503 with <c>Retry-After</c> as on Chat Completions.
/// </summary>
internal sealed class TranslatingProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, ClusterCalls cluster, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal, TokenCounter counter, TimeProvider time)
{
    /// <param name="countTokens">Messages' <c>count_tokens</c>: answered by the gateway, no provider call.</param>
    public async Task HandleAsync(HttpContext context, ClientApiShape shape, bool countTokens = false)
    {
        var startedAt = time.GetTimestamp();
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;
        var request = new AdmissionRequest(requestId, string.Empty, RequestOperation.ChatCompletions, null, ClientAddress.Of(context), ClientAddress.UserAgent(context)) { Api = countTokens ? ClientApi.MessagesCountTokens : shape.Api };

        var secret = shape.ReadKey(context.Request);
        var (keyId, secretHash) = (default(string), string.Empty);
        if (secret is not null)
        {
            // Not cut short by a client that leaves: the body read below finds it gone and records it.
            var resolved = await cluster.IdempotentAsync(() => keys.ResolveAsync(secret).AsTask(), startedAt, CancellationToken.None);
            if (!resolved.Answered)
            {
                await AnswerUnavailableAsync(context, shape, request, null, startedAt);
                return;
            }

            (keyId, secretHash) = resolved.Value;
        }

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
                var recorded = await cluster.IdempotentAsync(() => audit.RecordAsync(rejection, bodyError), startedAt, CancellationToken.None);
                if (!recorded.Answered)
                {
                    await WriteUnavailableAsync(context.Response, shape);
                    return;
                }

                await shape.WriteErrorAsync(context.Response, recorded.Value);
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
            await ServerSentEvents.RelayAsync(context, cluster, (resent, stop) => key.Stream(request with { Resent = resent }, stop), startedAt, () => AnswerUnavailableAsync(context, shape, request, keyId, startedAt), new TranslatedStreamFormat(shape, shape.OpenStream(requestId, string.Empty)));
            return;
        }

        // As on Chat Completions: a client that goes away stops the waiting, not the call.
        var opened = await cluster.OpenAsync(resent => key.Send(request with { Resent = resent }), r => r.IsKeepAlive, startedAt, context.RequestAborted);
        if (!opened.Answered || !opened.Value.HasCurrent)
        {
            await AnswerUnavailableAsync(context, shape, request, keyId, startedAt);
            return;
        }

        var reply = opened.Value.Enumerator.Current;
        ClusterCalls.DisposeInBackground(opened.Value.Enumerator);
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

    /// <summary>503 in the client's shape with <c>Retry-After</c>, recorded when a silo can still take the event.</summary>
    private async Task AnswerUnavailableAsync(HttpContext context, ClientApiShape shape, AdmissionRequest request, string? keyId, long startedAt)
    {
        var record = audit.Rejection(request, AuditOutcomes.ServiceUnavailable, StatusCodes.Status503ServiceUnavailable, keyId);
        if (!(await cluster.IdempotentAsync(() => audit.RecordAsync(record, cluster.Unavailable), startedAt, CancellationToken.None)).Answered)
        {
            GatewayMetrics.Recorded(record);
        }

        if (!context.Response.HasStarted)
        {
            await WriteUnavailableAsync(context.Response, shape);
        }
    }

    private Task WriteUnavailableAsync(HttpResponse response, ClientApiShape shape)
    {
        response.Headers.RetryAfter = cluster.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return shape.WriteErrorAsync(response, cluster.Unavailable);
    }
}
