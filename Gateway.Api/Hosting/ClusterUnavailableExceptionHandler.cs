using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Hosting;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// The admin API, the console's calls and the Orleans dashboard while no silo can be reached: 503
/// problem details with <c>Retry-After</c> and the code <c>cluster_unavailable</c>, never a 500 —
/// what <c>/v1</c> answers in its own shape (<see cref="ClusterCalls"/>, <see cref="OpenAiExceptionFilter"/>).
/// A failure is the cluster's when the runtime says so, or when the front end holds no connection
/// to any silo: before the first one joined, the Orleans client does not even know the grain
/// interfaces yet and fails with an <see cref="ArgumentException"/>.
/// </summary>
internal sealed partial class ClusterUnavailableExceptionHandler(
    ClusterConnection connection,
    SynapseOrleansOptions options,
    IProblemDetailsService problems,
    ILogger<ClusterUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const string Code = "cluster_unavailable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (httpContext.Response.HasStarted
            || httpContext.Request.Path.StartsWithSegments("/v1")
            || httpContext.Request.Path.StartsWithSegments("/openai")
            || !(ClusterFailures.IsUnavailable(exception) || !connection.IsConnected))
        {
            return false;
        }

        // The exception handler middleware logs nothing for a handled exception: one line, no stack.
        Log.Refused(logger, httpContext.Request.Path.Value ?? string.Empty, exception.GetType().Name);
        httpContext.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await AdminChallenge.WriteProblemAsync(httpContext, problems, StatusCodes.Status503ServiceUnavailable, "Cluster unavailable",
            "No silo of the cluster could be reached; retry after Retry-After seconds.", Code);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Path} answered 503: no silo of the cluster could be reached ({ExceptionType})")]
        public static partial void Refused(ILogger logger, string path, string exceptionType);
    }
}
