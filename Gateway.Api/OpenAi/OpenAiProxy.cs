using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The whole front-end side of a request, top to bottom: authenticate the header, read the body,
/// hand the request to its key grain (which admits it, calls the provider and filters the
/// answer), relay the answer. When the cluster cannot be reached, the answer is 503
/// <c>service_unavailable</c> with <c>Retry-After</c>, recorded in the audit log like any other
/// (<see cref="ClusterCalls"/> says when a call is sent again). The steps shared with the other
/// client APIs are <see cref="FrontEndSteps"/>.
/// </summary>
public sealed class OpenAiProxy(IGrainFactory grains, FrontEndSteps steps)
{
    private static readonly Func<HttpResponse, OpenAiError, Task> WriteError = FrontEndSteps.OpenAiErrors;

    /// <param name="deployment">Set on Azure OpenAI's deployments paths (<see cref="AzureDeployments"/>): the key may come in <c>api-key</c>, and the deployment is the model.</param>
    public async Task HandleAsync(HttpContext context, RequestOperation operation, string? deployment = null)
    {
        var request = steps.Begin(context, operation, ClientApi.OpenAi, out var startedAt);
        var secret = deployment is null ? BearerToken.Read(context.Request) : AzureDeployments.ReadKey(context.Request);
        if (await steps.ResolveKeyAsync(context, request, secret, startedAt, WriteError) is not (string keyId, string secretHash))
        {
            return;
        }

        if (await steps.ReadBodyAsync(context, request, keyId, startedAt, WriteError) is not { } body)
        {
            return;
        }

        if (deployment is not null)
        {
            body = AzureDeployments.WithModel(body, deployment);
        }

        request = request with { PresentedSecretSha256 = secretHash, Body = body };
        var key = grains.GetGrain<IApiKeyGrain>(keyId);
        if (operation == RequestOperation.ChatCompletions && TopLevelJson.IsStreamed(body))
        {
            await ServerSentEvents.RelayAsync(context, steps.Cluster, (resent, stop) => key.Stream(request with { Resent = resent }, stop), startedAt, () => steps.AnswerUnavailableAsync(context, request, keyId, startedAt, WriteError), ServerSentEvents.Format);
            return;
        }

        if (await steps.SendAsync(context, resent => key.Send(request with { Resent = resent }), request, keyId, startedAt, WriteError) is not { } reply)
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }
}
