using Synapse.Gateway.Alerts;
using Synapse.Gateway.Audit;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The admin API under <c>/admin/api</c>. Reading needs an admin or an auditor (session cookie or
/// the admin token), changing needs an admin; setup and sign-in are open. Session requests send
/// the antiforgery token on unsafe methods; sign-in attempts are counted per address and name
/// (<see cref="SignInThrottle"/>); audited actions are recorded by
/// <see cref="AdminAuditFilter"/>. Errors are problem details.
/// </summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin/api";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(Prefix)
            .RequireAuthorization(AdminPolicies.Read)
            .AddEndpointFilter<CsrfFilter>()
            .AddEndpointFilter<AdminAuditFilter>()
            .WithTags("Admin");
        ((IEndpointConventionBuilder)admin).Finally(AdminApiDocumentation.DescribeCommonAnswers);
        admin.MapSetupApi();
        admin.MapSessionApi();
        admin.MapAccountsApi();
        admin.MapTeamsApi();
        admin.MapKeysApi();
        admin.MapLimitsApi();
        admin.MapKeyRotationApi();
        admin.MapProvidersApi();
        admin.MapAuditApi();
        admin.MapAuditProveApi();
        admin.MapUsageApi();
        admin.MapDlpApi();
        admin.MapAlertsApi();
        admin.Map("/{**path}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The admin API has no such endpoint."))
            .ExcludeFromDescription();
        return app;
    }
}
