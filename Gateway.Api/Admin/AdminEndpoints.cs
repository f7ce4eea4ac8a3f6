using Synapse.Gateway.Alerts;
using Synapse.Gateway.Audit;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

/// <summary>The admin API under <c>/admin/api</c>, behind the admin token. Errors are problem details.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/api").RequireAuthorization(AdminAuthentication.PolicyName);
        admin.MapTeamsApi();
        admin.MapKeysApi();
        admin.MapLimitsApi();
        admin.MapProvidersApi();
        admin.MapAuditApi();
        admin.MapDlpApi();
        admin.MapAlertsApi();
        admin.Map("/{**path}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The admin API has no such endpoint."))
            .ExcludeFromDescription();
        return app;
    }
}
