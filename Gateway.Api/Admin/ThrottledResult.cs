using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

/// <summary>The 429 of an address that failed to authenticate too often, as an endpoint's result.</summary>
internal sealed class ThrottledResult(IProblemDetailsService problems) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status429TooManyRequests;

    public static IResult Instance(IProblemDetailsService problems) => new ThrottledResult(problems);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return AdminChallenge.WriteThrottledAsync(httpContext, problems, AdminChallenge.RetryAfterOf(httpContext));
    }
}
