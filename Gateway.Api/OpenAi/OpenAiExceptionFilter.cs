using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Turns anything unexpected on <c>/v1</c> into OpenAI's error shape; the exception itself is
/// logged (without request content) and never shown to the client. The request is still
/// audited: a failure of the gateway's own must not leave a request without its row.
/// </summary>
internal sealed partial class OpenAiExceptionFilter(RequestAudit audit, ILogger<OpenAiExceptionFilter> logger) : IEndpointFilter
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
            var error = unavailable
                ? new OpenAiError(StatusCodes.Status503ServiceUnavailable, "The gateway's cluster is not available; retry shortly.", OpenAiError.ApiErrorType, "service_unavailable")
                : new OpenAiError(StatusCodes.Status500InternalServerError, "The gateway failed to handle the request.", OpenAiError.ApiErrorType, "internal_error");
            await RecordAsync(context.HttpContext, error.Status);
            return error.ToResult();
        }
    }

    private async Task RecordAsync(HttpContext context, int status)
    {
        var requestId = context.Response.Headers["x-request-id"].ToString();
        var request = new AdmissionRequest(requestId.Length > 0 ? requestId : context.TraceIdentifier, string.Empty, OperationOf(context.Request.Path), null, ClientAddress.Of(context), ClientAddress.UserAgent(context))
        {
            Api = context.Request.Path.StartsWithSegments("/v1/messages") ? ClientApi.Messages
                : context.Request.Path.StartsWithSegments("/v1/responses") ? ClientApi.Responses
                : ClientApi.OpenAi,
        };
        try
        {
            await audit.RecordUnansweredAsync(audit.Rejection(request, AuditOutcomes.GatewayError, status));
        }
        catch (Exception e)
        {
            // The answer is already an error; a log that cannot take its row is logged, not thrown.
            Log.NotRecorded(logger, e.GetType().Name);
        }
    }

    private static RequestOperation OperationOf(PathString path) =>
        path.StartsWithSegments("/v1/embeddings") || (path.StartsWithSegments("/openai") && path.Value!.EndsWith("/embeddings", StringComparison.Ordinal)) ? RequestOperation.Embeddings
        : path.StartsWithSegments("/v1/models", out var rest) ? (rest.Value is null or "/" ? RequestOperation.ListModels : RequestOperation.RetrieveModel)
        : RequestOperation.ChatCompletions;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Request failed with {ExceptionType}")]
        public static partial void Failed(ILogger logger, string exceptionType, Exception exception);

        [LoggerMessage(2, LogLevel.Error, "A failed request could not be audited ({ExceptionType})")]
        public static partial void NotRecorded(ILogger logger, string exceptionType);
    }
}
