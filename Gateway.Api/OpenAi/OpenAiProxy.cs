using System.Security.Cryptography;
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
public sealed class OpenAiProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, GatewayOptions options)
{
    public async Task HandleAsync(HttpContext context, RequestOperation operation)
    {
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;

        var secret = BearerToken.Read(context.Request);
        var (keyId, secretHash) = secret is null ? (null, string.Empty) : await keys.ResolveAsync(secret);
        if (keyId is null)
        {
            await AnswerAsync(context, OpenAiError.InvalidApiKey, audit.Rejection(requestId, AuditOutcomes.InvalidKey, StatusCodes.Status401Unauthorized));
            return;
        }

        byte[]? body = null;
        if (operation != RequestOperation.ListModels)
        {
            (body, var bodyError) = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBytes);
            if (bodyError is not null)
            {
                await AnswerAsync(context, bodyError, audit.Rejection(requestId, AuditOutcomes.InvalidRequest, bodyError.Status, keyId));
                return;
            }
        }

        var admission = await grains.GetGrain<IApiKeyGrain>(keyId).Admit(new AdmissionRequest(requestId, secretHash, operation, body));
        RateLimitHeaders.Write(context.Response, admission.RateLimits, admission.RetryAfter);
        if (admission.Outcome != AdmissionOutcome.Admitted)
        {
            await AnswerAsync(context, AdmissionErrors.From(admission), admission.Audit);
            return;
        }

        if (Synapse.Binding.DroppedFields.HeaderValue(admission.Call?.DroppedFields) is { } dropped)
        {
            context.Response.Headers[Synapse.Binding.DroppedFields.HeaderName] = dropped;
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
