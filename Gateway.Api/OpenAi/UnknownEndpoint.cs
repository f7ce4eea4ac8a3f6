using Synapse.Gateway.ClientApis;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// A path under <c>/v1</c> or <c>/openai</c> the gateway does not serve (<c>/v1/files</c>,
/// <c>/v1/images/generations</c>, a served path with another method, …). A key presented there is
/// a key tried for something it was not issued for, which the audit log must show like any other
/// refusal: the request is authenticated as every request is (401 and a counted failed
/// authentication without a valid key, so paths cannot be probed without one), recorded as a
/// rejection — <c>api</c> <c>unknown</c>, the method and path in <c>detail</c> — and answered 404
/// <c>unknown_url</c>, in Anthropic's shape when the request carries <c>anthropic-version</c>.
/// </summary>
internal sealed class UnknownEndpoint(FrontEndSteps steps)
{
    public async Task HandleAsync(HttpContext context, bool azure)
    {
        var anthropic = !azure && AnthropicModels.IsAsked(context.Request);
        var writeError = anthropic ? MessagesShape.Instance.WriteErrorAsync : FrontEndSteps.OpenAiErrors;
        var secret = (azure, anthropic) switch
        {
            (true, _) => AzureDeployments.ReadKey(context.Request),
            (_, true) => MessagesShape.Instance.ReadKey(context.Request),
            _ => BearerToken.Read(context.Request),
        };

        var request = steps.Begin(context, RequestOperation.UnknownEndpoint, ClientApi.OpenAi, out var startedAt);
        if (await steps.ResolveKeyAsync(context, request, secret, startedAt, writeError) is not (string keyId, _))
        {
            return;
        }

        var error = new OpenAiError(
            StatusCodes.Status404NotFound,
            azure ? "The gateway serves Azure OpenAI's deployments chat completions and embeddings only." : "The gateway has no such endpoint under /v1.",
            OpenAiError.InvalidRequestType,
            "unknown_url");
        // The decoded path (PathString's own text escapes it again), so what the screen reads is what the client meant.
        var endpoint = RequestAuditEvents.EndpointDetail(context.Request.Method, (context.Request.PathBase + context.Request.Path).Value ?? string.Empty);
        await steps.RefuseAsync(context, request, error, keyId, startedAt, writeError, endpoint);
    }
}
