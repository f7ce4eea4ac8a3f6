namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Turns anything unexpected on <c>/v1</c> into OpenAI's error shape; the exception itself is
/// logged (without request content) and never shown to the client.
/// </summary>
internal sealed partial class OpenAiExceptionFilter(ILogger<OpenAiExceptionFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception e) when (!context.HttpContext.Response.HasStarted)
        {
            var unavailable = ClusterFailures.IsUnavailable(e);
            Log.Failed(logger, e.GetType().Name, e);
            return unavailable
                ? new OpenAiError(StatusCodes.Status503ServiceUnavailable, "The gateway's cluster is not available; retry shortly.", OpenAiError.ApiErrorType, "service_unavailable").ToResult()
                : new OpenAiError(StatusCodes.Status500InternalServerError, "The gateway failed to handle the request.", OpenAiError.ApiErrorType, "internal_error").ToResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Request failed with {ExceptionType}")]
        public static partial void Failed(ILogger logger, string exceptionType, Exception exception);
    }
}
