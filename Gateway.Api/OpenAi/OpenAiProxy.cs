using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The whole front-end side of a request, top to bottom: authenticate the header, read the body,
/// let the key grain admit and bind it, have the provider called, relay the answer.
/// </summary>
public sealed class OpenAiProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal)
{
    public async Task HandleAsync(HttpContext context, RequestOperation operation)
    {
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;

        var secret = BearerToken.Read(context.Request);
        var (keyId, secretHash) = secret is null ? (null, string.Empty) : await keys.ResolveAsync(secret);
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
                var rejection = audit.Rejection(context, requestId, operation, read.Outcome, read.Error?.Status, keyId);
                if (read.Error is { } bodyError)
                {
                    // The rest of a body that was refused unread is not waited for.
                    context.Response.Headers.Connection = "close";
                    await AnswerAsync(context, bodyError, rejection);
                }
                else
                {
                    await audit.TryRecordAsync(rejection);
                }

                return;
            }

            body = read.Body;
        }

        var admission = await grains.GetGrain<IApiKeyGrain>(keyId).Admit(new AdmissionRequest(requestId, secretHash, operation, body));
        RateLimitHeaders.Write(context.Response, admission.RateLimits, admission.RetryAfter);
        if (admission.Outcome != AdmissionOutcome.Admitted)
        {
            await AnswerAsync(context, AdmissionErrors.From(admission), admission.Audit);
            return;
        }

        if (admission.Call is not { } call)
        {
            if (!await audit.TryRecordAsync(admission.Audit))
            {
                await RequestAudit.Unavailable.WriteAsync(context.Response);
                return;
            }

            await context.Response.WriteAsJsonAsync(ModelList.From(admission.Models ?? []), ModelList.JsonContext.Default.ModelList);
            return;
        }

        if (call.Stream)
        {
            await ServerSentEvents.RelayAsync(context, stop => grains.GetGrain<IProviderStreamGrain>(requestId).Stream(call, stop));
            return;
        }

        // A client that goes away stops this handler waiting, not the call: it runs to its end, is
        // audited and settles with the key grain. Without this the handler of a call whose silo
        // died would wait out the whole grain call timeout (minutes, for slow models).
        var reply = await grains.GetGrain<IProviderSendGrain>(0).Send(call).WaitAsync(context.RequestAborted);
        if (reply.Failure is not null || reply.Body is null)
        {
            await AdmissionErrors.From(reply.Failure ?? new ProviderFailure("upstream_error", "The provider sent no answer.")).WriteAsync(context.Response);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }

    private async Task AnswerAsync(HttpContext context, OpenAiError error, AuditRecord? record) =>
        await (await audit.TryRecordAsync(record) ? error : RequestAudit.Unavailable).WriteAsync(context.Response);
}
