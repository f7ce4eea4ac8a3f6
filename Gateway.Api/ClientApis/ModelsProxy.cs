using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>: the key's allowlist, or one model of it,
/// answered by its key grain (which audits the request; no provider is involved) in OpenAI's
/// shape, or in Anthropic's — key header, body and errors — when the request carries
/// <c>anthropic-version</c> (<see cref="AnthropicModels"/>). A model off the allowlist is one that
/// does not exist for the key: 404.
/// </summary>
internal sealed class ModelsProxy(IGrainFactory grains, FrontEndSteps steps)
{
    /// <param name="model">The model a retrieve names in its path; null for the list.</param>
    public async Task HandleAsync(HttpContext context, string? model)
    {
        var anthropic = AnthropicModels.IsAsked(context.Request);
        var writeError = anthropic ? MessagesShape.Instance.WriteErrorAsync : FrontEndSteps.OpenAiErrors;
        var request = steps.Begin(context, model is null ? RequestOperation.ListModels : RequestOperation.RetrieveModel, ClientApi.OpenAi, out var startedAt);
        if (model is not null)
        {
            request = request with { Model = ModelList.FromPath(model) };
        }

        var secret = anthropic ? MessagesShape.Instance.ReadKey(context.Request) : BearerToken.Read(context.Request);
        if (await steps.ResolveKeyAsync(context, request, secret, startedAt, writeError) is not (string keyId, string secretHash))
        {
            return;
        }

        var page = AnthropicModels.FirstPage;
        if (anthropic && model is null && AnthropicModels.ReadPage(context.Request.Query, out page) is { } invalid)
        {
            await steps.RefuseAsync(context, request, invalid, keyId, startedAt, writeError);
            return;
        }

        request = request with { PresentedSecretSha256 = secretHash };
        var key = grains.GetGrain<IApiKeyGrain>(keyId);
        if (await steps.SendAsync(context, resent => key.Send(request with { Resent = resent }), request, keyId, startedAt, writeError) is not { } reply)
        {
            return;
        }

        var models = reply.Verdict?.Models ?? [];
        switch (anthropic, model)
        {
            case (false, null):
                await context.Response.WriteAsJsonAsync(ModelList.From(models), ModelList.JsonContext.Default.ModelList);
                break;
            case (false, _):
                await context.Response.WriteAsJsonAsync(ModelList.Describe(models.Single()), ModelList.JsonContext.Default.Model);
                break;
            case (true, null):
                await context.Response.WriteAsJsonAsync(AnthropicModels.List(models, page), AnthropicModels.AnthropicJsonContext.Default.ModelPage);
                break;
            default:
                await context.Response.WriteAsJsonAsync(AnthropicModels.Describe(models.Single()), AnthropicModels.AnthropicJsonContext.Default.Model);
                break;
        }
    }
}
