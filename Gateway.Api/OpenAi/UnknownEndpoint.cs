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
/// The API's own paths without <c>/v1</c>, or with it twice, get the same treatment and an answer
/// that says which base URL to set: the commonest mistake of a new client.
/// </summary>
internal sealed class UnknownEndpoint(FrontEndSteps steps, RequestAuditEvents events)
{
    /// <summary>Where the path is, which says what the answer tells the client.</summary>
    public enum Place
    {
        /// <summary>Under <c>/v1</c>.</summary>
        V1,

        /// <summary>Under Azure OpenAI's <c>/openai</c>.</summary>
        Azure,

        /// <summary>An API path without <c>/v1</c> (<c>/chat/completions</c>): a client whose base URL lacks it.</summary>
        MissingV1,

        /// <summary>A path under <c>/v1/v1</c>: a client that adds <c>/v1</c> itself (Anthropic's SDKs) to a base URL that has it.</summary>
        DoubledV1,
    }

    public async Task HandleAsync(HttpContext context, Place place)
    {
        var anthropic = place != Place.Azure && AnthropicModels.IsAsked(context.Request);
        var writeError = anthropic ? MessagesShape.Instance.WriteErrorAsync : FrontEndSteps.OpenAiErrors;
        var secret = (place, anthropic) switch
        {
            (Place.Azure, _) => AzureDeployments.ReadKey(context.Request),
            (_, true) => MessagesShape.Instance.ReadKey(context.Request),
            _ => BearerToken.Read(context.Request),
        };

        var request = steps.Begin(context, RequestOperation.UnknownEndpoint, ClientApi.OpenAi, out var startedAt);
        if (await steps.ResolveKeyAsync(context, request, secret, startedAt, writeError) is not (string keyId, _))
        {
            return;
        }

        var error = new OpenAiError(StatusCodes.Status404NotFound, Message(context.Request, place, anthropic), OpenAiError.InvalidRequestType, "unknown_url");
        // The decoded path (PathString's own text escapes it again), so what the screen reads is what the client meant.
        var endpoint = events.EndpointDetail(context.Request.Method, (context.Request.PathBase + context.Request.Path).Value ?? string.Empty);
        await steps.RefuseAsync(context, request, error, keyId, startedAt, writeError, endpoint);
    }

    /// <summary>What the client is told; for a base URL set wrong, the one to set (Anthropic's SDKs add <c>/v1</c> themselves, OpenAI's do not).</summary>
    private static string Message(HttpRequest request, Place place, bool anthropic)
    {
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return (place, anthropic) switch
        {
            (Place.Azure, _) => "The gateway serves Azure OpenAI's deployments chat completions and embeddings only.",
            (Place.MissingV1, false) => $"The gateway serves this API under /v1: set the client's base URL to {root}/v1.",
            (Place.MissingV1, true) => $"The gateway serves this API under /v1: set the client's base URL to {root} (Anthropic's SDKs add /v1 themselves).",
            (Place.DoubledV1, _) => $"The path has /v1 twice: the client adds /v1 itself, so set its base URL to {root}.",
            _ => "The gateway has no such endpoint under /v1.",
        };
    }
}
