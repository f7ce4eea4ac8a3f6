using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The whole front-end side of a request, top to bottom: authenticate the header, read the body,
/// hand the request to its key grain (which admits it, calls the provider and filters the
/// answer), relay the answer.
/// </summary>
public sealed class OpenAiProxy(IGrainFactory grains, KeyResolver keys, RequestAudit audit, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal)
{
    public async Task HandleAsync(HttpContext context, RequestOperation operation)
    {
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;
        var request = new AdmissionRequest(requestId, string.Empty, operation, null, ClientAddress.Of(context), ClientAddress.UserAgent(context));

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
                var rejection = audit.Rejection(request, read.Outcome, read.Error?.Status, keyId);
                if (read.Error is { } bodyError)
                {
                    // The rest of a body that was refused unread is not waited for.
                    context.Response.Headers.Connection = "close";
                    await (await audit.RecordAsync(rejection, bodyError)).WriteAsync(context.Response);
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
            await ServerSentEvents.RelayAsync(context, stop => key.Stream(request, stop));
            return;
        }

        // A client that goes away stops this handler waiting, not the call: it runs to its end, is
        // audited and settles with its key. Without this the handler of a call whose silo died
        // would wait out the whole grain call timeout (minutes, for slow models).
        var reply = await key.Send(request).WaitAsync(context.RequestAborted);
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
}
