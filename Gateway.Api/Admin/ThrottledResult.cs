using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

/// <summary>
/// A 429 as an endpoint's result: an address that failed to authenticate too often
/// (<see cref="Instance"/>), or one that tried to sign in more often than
/// <c>Synapse:Admin:SignInsPerMinute</c> allows, right or wrong (<see cref="SignInRate"/>) — told
/// apart, so an operator does not chase a brute force that is not happening.
/// </summary>
internal sealed class ThrottledResult(IProblemDetailsService problems, bool signInRate) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status429TooManyRequests;

    public static IResult Instance(IProblemDetailsService problems) => new ThrottledResult(problems, signInRate: false);

    public static IResult SignInRate(IProblemDetailsService problems) => new ThrottledResult(problems, signInRate: true);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var retryAfter = AdminChallenge.RetryAfterOf(httpContext);
        return signInRate
            ? AdminChallenge.WriteSignInRateAsync(httpContext, problems, retryAfter)
            : AdminChallenge.WriteThrottledAsync(httpContext, problems, retryAfter);
    }
}
