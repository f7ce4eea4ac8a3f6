using Synapse.Gateway.OpenAi;

namespace Synapse.Gateway.ClientApis;

/// <summary>Anthropic's Messages API and OpenAI's Responses API under <c>/v1</c>, beside Chat Completions.</summary>
public static class ClientApiEndpoints
{
    public static IEndpointRouteBuilder MapClientApis(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/v1/messages")
            .AddEndpointFilter(new ClientApiErrorFilter(MessagesShape.Instance))
            .AddEndpointFilter<OpenAiExceptionFilter>();
        messages.MapPost(string.Empty, (HttpContext context, TranslatingProxy proxy) => proxy.HandleAsync(context, MessagesShape.Instance))
            .WithName("CreateMessage")
            .WithSummary("Anthropic's Messages API, streamed or not, under the key's binding.");
        messages.MapPost("/count_tokens", (HttpContext context, TranslatingProxy proxy) => proxy.HandleAsync(context, MessagesShape.Instance, countTokens: true))
            .WithName("CountMessageTokens")
            .WithSummary("The prompt tokens of a Messages request as the key would send it (the gateway's estimate).");
        var responsesShape = new ResponsesShape(app.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System);
        app.MapGroup("/v1/responses")
            .AddEndpointFilter(new ClientApiErrorFilter(responsesShape))
            .AddEndpointFilter<OpenAiExceptionFilter>()
            .MapPost(string.Empty, (HttpContext context, TranslatingProxy proxy) => proxy.HandleAsync(context, responsesShape))
            .WithName("CreateResponse")
            .WithSummary("OpenAI's Responses API (stateless), streamed or not, under the key's binding.");
        return app;
    }
}
