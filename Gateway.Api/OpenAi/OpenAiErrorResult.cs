namespace Synapse.Gateway.OpenAi;

internal sealed class OpenAiErrorResult(OpenAiError error) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => error.WriteAsync(httpContext.Response);
}
