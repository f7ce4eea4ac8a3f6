using Orleans.Dashboard;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// The Orleans dashboard's endpoints in a pipeline of their own, built on the first request that
/// reaches it (an authorised one: see <see cref="LazyDashboardEndpoints"/>).
/// </summary>
/// <remarks>
/// Orleans.Dashboard 10.4.2 reads, copies and gzips all of its embedded UI when its endpoints are
/// mapped: 17 MB, including a 12.9 MB source map that no route serves. Mapped at start, that cost
/// every gateway about 40 MB of memory and a third of a second of start-up CPU whether or not
/// anyone opened the dashboard (docs/benchmarks.md, "Footprint"). The silo collects the dashboard's
/// statistics from the start either way; only the UI waits for a reader. The pipeline has its own
/// routing, so the application's endpoints never change after start, and it checks the dashboard
/// policy again on each of its endpoints.
/// </remarks>
internal sealed class DashboardPipeline(IServiceProvider services)
{
    public const string Prefix = "/dashboard";

    private readonly Lazy<RequestDelegate> _pipeline = new(() => Build(services), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether a request has made the dashboard load its UI.</summary>
    public bool IsBuilt => _pipeline.IsValueCreated;

    public Task InvokeAsync(HttpContext context)
    {
        // The outer route's match would make the inner routing skip its own matching.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return _pipeline.Value(context);
    }

    private static RequestDelegate Build(IServiceProvider services)
    {
        var branch = new ApplicationBuilder(services);
        branch.UseRouting();
        branch.UseAuthorization();
        branch.UseEndpoints(endpoints => endpoints.MapOrleansDashboard(Prefix).RequireAuthorization(AdminPolicies.Dashboard));
        return branch.Build();
    }
}
