using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Telemetry;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The whole front-end side of a request, top to bottom: authenticate the header, read the body,
/// hand the request to its key grain (which admits it, calls the provider and filters the
/// answer), relay the answer. When the cluster cannot be reached, the answer is 503
/// <c>service_unavailable</c> with <c>Retry-After</c>, recorded in the audit log like any other
/// (<see cref="ClusterCalls"/> says when a call is sent again).
/// </summary>
public sealed class OpenAiProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, ClusterCalls cluster, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context, RequestOperation operation)
    {
        var startedAt = time.GetTimestamp();
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;
        var request = new AdmissionRequest(requestId, string.Empty, operation, null, ClientAddress.Of(context), ClientAddress.UserAgent(context));

        var secret = BearerToken.Read(context.Request);
        var (keyId, secretHash) = (default(string), string.Empty);
        if (secret is not null)
        {
            // Not cut short by a client that leaves: the body read below finds it gone and records it.
            var resolved = await cluster.IdempotentAsync(() => keys.ResolveAsync(secret).AsTask(), startedAt, CancellationToken.None);
            if (!resolved.Answered)
            {
                await AnswerUnavailableAsync(context, request, null, startedAt);
                return;
            }

            (keyId, secretHash) = resolved.Value;
        }

        if (keyId is null)
        {
            // Counted into one audit row per client address and window, and throttled per address.
            await refusal.WriteAsync(context, secret);
            return;
        }

        byte[]? body = null;
        if (operation != RequestOperation.ListModels)
        {
            var read = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBytes, bodyOptions.Value.Timeout);
            if (read.Body is null)
            {
                var rejection = audit.Rejection(request, read.Outcome, read.Error?.Status, keyId);
                if (read.Error is { } bodyError)
                {
                    // The rest of a body that was refused unread is not waited for.
                    context.Response.Headers.Connection = "close";
                    await AnswerAsync(context, rejection, bodyError, startedAt);
                }
                else
                {
                    await audit.RecordUnansweredAsync(rejection);
                }

                return;
            }

            body = read.Body;
        }

        request = request with { PresentedSecretSha256 = secretHash, Body = body };
        var key = grains.GetGrain<IApiKeyGrain>(keyId);
        if (operation == RequestOperation.ChatCompletions && StreamRequest.IsStreamed(body))
        {
            await ServerSentEvents.RelayAsync(context, cluster, (resent, stop) => key.Stream(request with { Resent = resent }, stop), startedAt, () => AnswerUnavailableAsync(context, request, keyId, startedAt), ServerSentEvents.Format);
            return;
        }

        // A client that goes away stops this handler waiting, not the call: it runs to its end, is
        // audited and settles with its key.
        var opened = await cluster.OpenAsync(resent => key.Send(request with { Resent = resent }), r => r.IsKeepAlive, startedAt, context.RequestAborted);
        if (!opened.Answered || !opened.Value.HasCurrent)
        {
            await AnswerUnavailableAsync(context, request, keyId, startedAt);
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
            await error.WriteAsync(context.Response);
            return;
        }

        if (reply.Verdict?.Models is { } models && operation == RequestOperation.ListModels)
        {
            await context.Response.WriteAsJsonAsync(ModelList.From(models), ModelList.JsonContext.Default.ModelList);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }

    /// <summary>Answers with <paramref name="error"/> once its event is durable (503 when the log cannot take it).</summary>
    private async Task AnswerAsync(HttpContext context, AuditRecord record, OpenAiError error, long startedAt)
    {
        var recorded = await cluster.IdempotentAsync(() => audit.RecordAsync(record, error), startedAt, CancellationToken.None);
        if (recorded.Answered)
        {
            await recorded.Value.WriteAsync(context.Response);
            return;
        }

        // No silo took the event within the window: nothing can be recorded now, only counted.
        GatewayMetrics.Recorded(record with { Outcome = AuditOutcomes.ServiceUnavailable, HttpStatus = StatusCodes.Status503ServiceUnavailable });
        await WriteUnavailableAsync(context.Response);
    }

    /// <summary>
    /// 503 <c>service_unavailable</c> with <c>Retry-After</c>: the cluster could not take the request,
    /// or lost it after taking it. Recorded as a rejection when a silo can still take the event
    /// (only counted in the metrics when none can).
    /// </summary>
    private async Task AnswerUnavailableAsync(HttpContext context, AdmissionRequest request, string? keyId, long startedAt)
    {
        var record = audit.Rejection(request, AuditOutcomes.ServiceUnavailable, StatusCodes.Status503ServiceUnavailable, keyId);
        if (!(await cluster.IdempotentAsync(() => audit.RecordAsync(record, cluster.Unavailable), startedAt, CancellationToken.None)).Answered)
        {
            GatewayMetrics.Recorded(record);
        }

        if (!context.Response.HasStarted)
        {
            await WriteUnavailableAsync(context.Response);
        }
    }

    private Task WriteUnavailableAsync(HttpResponse response)
    {
        response.Headers.RetryAfter = cluster.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return cluster.Unavailable.WriteAsync(response);
    }
}
