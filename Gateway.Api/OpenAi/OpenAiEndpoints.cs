using Synapse.Gateway.ClientApis;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>The OpenAI-compatible API under <c>/v1</c>.</summary>
public static class OpenAiEndpoints
{
    /// <summary>The API's own paths without <c>/v1</c>, which a client whose base URL lacks it sends (answered by <see cref="UnknownEndpoint"/> with the base URL to set).</summary>
    internal static readonly string[] PathsWithoutV1 = ["/chat/completions", "/completions", "/embeddings", "/responses/{**rest}", "/models/{**rest}", "/messages/{**rest}"];

    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<OpenAiExceptionFilter>();
        v1.MapPost("/chat/completions", (HttpContext context, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.ChatCompletions))
            .WithName("CreateChatCompletion")
            .WithSummary("Chat completions, streamed or not, under the key's binding.");
        v1.MapPost("/embeddings", (HttpContext context, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.Embeddings))
            .WithName("CreateEmbeddings")
            .WithSummary("Embeddings for a model on the key's allowlist.");

        // OpenAI's and Anthropic's Models API share these paths; the request's anthropic-version
        // header picks the shape, its errors included (ModelsProxy).
        var models = app.MapGroup("/v1/models")
            .AddEndpointFilter(new ClientApiErrorFilter(MessagesShape.Instance, AnthropicModels.IsAsked))
            .AddEndpointFilter<OpenAiExceptionFilter>();
        models.MapGet(string.Empty, (HttpContext context, ModelsProxy proxy) => proxy.HandleAsync(context, null))
            .WithName("ListModels")
            .WithSummary("Exactly the models on the key's allowlist.");
        // A catch-all: model ids may hold a slash ("meta-llama/Llama-3.1-8B"), and SDKs put them in
        // the path as they are.
        models.MapGet("/{**model}", (HttpContext context, string model, ModelsProxy proxy) => proxy.HandleAsync(context, model))
            .WithName("RetrieveModel")
            .WithSummary("One model of the key's allowlist; 404 model_not_found for any other.");

        // Every other path under /v1, with any method, and the API's paths without /v1 or with it
        // twice (a client's base URL set wrong): authenticated, recorded, 404 (UnknownEndpoint).
        var unknown = app.MapGroup(string.Empty)
            .AddEndpointFilter(new ClientApiErrorFilter(MessagesShape.Instance, AnthropicModels.IsAsked))
            .AddEndpointFilter<OpenAiExceptionFilter>();
        unknown.Map("/v1/{**path}", (HttpContext context, UnknownEndpoint endpoint) => endpoint.HandleAsync(context, UnknownEndpoint.Place.V1))
            .ExcludeFromDescription();
        foreach (var path in PathsWithoutV1)
        {
            unknown.Map(path, (HttpContext context, UnknownEndpoint endpoint) => endpoint.HandleAsync(context, UnknownEndpoint.Place.MissingV1))
                .ExcludeFromDescription();
        }

        unknown.Map("/v1/v1/{**rest}", (HttpContext context, UnknownEndpoint endpoint) => endpoint.HandleAsync(context, UnknownEndpoint.Place.DoubledV1))
            .ExcludeFromDescription();

        // Azure OpenAI's deployments API (AzureDeployments): the same requests under Azure's paths.
        var azure = app.MapGroup("/openai").AddEndpointFilter<OpenAiExceptionFilter>();
        azure.MapPost("/deployments/{deployment}/chat/completions", (HttpContext context, string deployment, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.ChatCompletions, deployment))
            .WithName("CreateDeploymentChatCompletion")
            .WithSummary("Azure OpenAI's chat completions path: the deployment is the model, the key in api-key or Bearer.");
        azure.MapPost("/deployments/{deployment}/embeddings", (HttpContext context, string deployment, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.Embeddings, deployment))
            .WithName("CreateDeploymentEmbeddings")
            .WithSummary("Azure OpenAI's embeddings path: the deployment is the model, the key in api-key or Bearer.");
        azure.Map("/{**path}", (HttpContext context, UnknownEndpoint endpoint) => endpoint.HandleAsync(context, UnknownEndpoint.Place.Azure))
            .ExcludeFromDescription();
        return app;
    }
}
