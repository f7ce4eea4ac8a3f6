using Synapse.Gateway.OpenAi;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// Answers the gateway's own failures on a translated API (already audited and turned into an
/// error by <see cref="OpenAiExceptionFilter"/>, which runs inside this filter) in the API's shape.
/// </summary>
internal sealed class ClientApiErrorFilter(ClientApiShape shape) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        return result is OpenAiErrorResult { Error: var error } ? new ShapedError(shape, error) : result;
    }

    private sealed class ShapedError(ClientApiShape shape, OpenAiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => shape.WriteErrorAsync(httpContext.Response, error);
    }
}
