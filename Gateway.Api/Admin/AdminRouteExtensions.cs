using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

internal static class AdminRouteExtensions
{
    /// <summary>Only an admin may call this endpoint (the whole API already requires reading rights).</summary>
    public static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder endpoint) => endpoint.RequireAuthorization(AdminPolicies.Write);

    public static IResult NotFound(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
