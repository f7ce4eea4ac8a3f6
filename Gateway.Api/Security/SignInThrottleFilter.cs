using Synapse.Gateway.Admin;

namespace Synapse.Gateway.Security;

/// <summary>
/// The admin API's first filter: an endpoint marked with <see cref="SignInThrottleEndpoints.RequireSignInThrottle"/>
/// answers 429 with <c>Retry-After</c> once the caller's address has used up its
/// <see cref="SignInThrottle"/> minute, before the credential is looked at and before the audit
/// filter, so a flood of attempts writes no audit row per attempt.
/// </summary>
internal sealed class SignInThrottleFilter(SignInThrottle throttle, IProblemDetailsService problems) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<SignInThrottled>() is null || throttle.TryAttempt(ClientAddress.SourceOf(http), out var retryAfter))
        {
            return await next(context);
        }

        AdminChallenge.MarkThrottled(http, retryAfter);
        return ThrottledResult.SignInRate(problems);
    }
}

/// <summary>Endpoint metadata: a sign-in or setup attempt that <see cref="SignInThrottleFilter"/> counts.</summary>
internal sealed class SignInThrottled
{
    public static readonly SignInThrottled Instance = new();
}

internal static class SignInThrottleEndpoints
{
    /// <summary>Marks the endpoint as a sign-in or setup attempt that <see cref="SignInThrottleFilter"/> counts.</summary>
    public static RouteHandlerBuilder RequireSignInThrottle(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(SignInThrottled.Instance);
}
