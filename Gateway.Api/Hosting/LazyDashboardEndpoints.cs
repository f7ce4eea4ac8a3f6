using Synapse.Gateway.Security;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// Serves the Orleans dashboard under <see cref="DashboardPipeline.Prefix"/> through one route
/// that requires the dashboard credential before the dashboard itself is built.
/// </summary>
internal static class LazyDashboardEndpoints
{
    public static IEndpointConventionBuilder MapLazyOrleansDashboard(this WebApplication app)
    {
        var dashboard = new DashboardPipeline(app.Services);
        return app.Map(DashboardPipeline.Prefix + "/{**path}", dashboard.InvokeAsync)
            .RequireAuthorization(AdminPolicies.Dashboard)
            .WithMetadata(dashboard)
            .ExcludeFromDescription();
    }
}
