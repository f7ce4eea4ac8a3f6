using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>The OpenAI-compatible API under <c>/v1</c>.</summary>
public static class OpenAiEndpoints
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<OpenAiExceptionFilter>();
        v1.MapPost("/chat/completions", (HttpContext context, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.ChatCompletions))
            .WithName("CreateChatCompletion")
            .WithSummary("Chat completions, streamed or not, under the key's binding.");
        v1.MapPost("/embeddings", (HttpContext context, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.Embeddings))
            .WithName("CreateEmbeddings")
            .WithSummary("Embeddings for a model on the key's allowlist.");
        v1.MapGet("/models", (HttpContext context, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.ListModels))
            .WithName("ListModels")
            .WithSummary("Exactly the models on the key's allowlist.");
        // A catch-all: model ids may hold a slash ("meta-llama/Llama-3.1-8B"), and SDKs put them in
        // the path as they are.
        v1.MapGet("/models/{**model}", (HttpContext context, string? model, OpenAiProxy proxy) => proxy.HandleAsync(context, RequestOperation.RetrieveModel, model))
            .WithName("RetrieveModel")
            .WithSummary("One model of the key's allowlist; 404 model_not_found for any other.");
        v1.Map("/{**path}", () => new OpenAiError(StatusCodes.Status404NotFound, "The gateway has no such endpoint under /v1.", OpenAiError.InvalidRequestType, "unknown_url").ToResult())
            .ExcludeFromDescription();
        return app;
    }
}
