using Synapse.Gateway.OpenAi;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// Answers the gateway's own failures on a translated API (already audited and turned into an
/// error by <see cref="OpenAiExceptionFilter"/>, which runs inside this filter) in the API's shape;
/// on paths two APIs share, only for the requests <paramref name="applies"/> says are the API's.
/// </summary>
internal sealed class ClientApiErrorFilter(ClientApiShape shape, Func<HttpRequest, bool>? applies = null) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await next(context);
        return result is OpenAiErrorResult { Error: var error } && (applies is null || applies(context.HttpContext.Request)) ? new ShapedError(shape, error) : result;
    }

    private sealed class ShapedError(ClientApiShape shape, OpenAiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => shape.WriteErrorAsync(httpContext.Response, error);
    }
}
