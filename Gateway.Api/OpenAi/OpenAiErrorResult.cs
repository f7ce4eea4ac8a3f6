namespace Synapse.Gateway.OpenAi;

internal sealed class OpenAiErrorResult(OpenAiError error) : IResult
{
    /// <summary>The error, for a filter that answers it in another API's shape.</summary>
    public OpenAiError Error => error;

    public Task ExecuteAsync(HttpContext httpContext) => error.WriteAsync(httpContext.Response);
}
