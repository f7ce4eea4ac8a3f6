using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Synapse.Configuration;
using Synapse.Gateway.Audit;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Hosting;
using Synapse.Hosting.Drain;
using Synapse.Hosting.Health;
using Synapse.Hosting.Management;
using Synapse.Hosting.Memory;
using Synapse.Hosting.Telemetry;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// What an operator runs the front end with: health (<c>/healthz/live</c>, <c>/healthz/ready</c>),
/// metrics (<c>/metrics</c>: behind the admin credential, or on the management port when one is
/// set), traces, quiet framework logs, a drain on SIGTERM, and the cluster calls that answer 503
/// with <c>Retry-After</c> when no silo can be reached (on <c>/v1</c>, the admin API and the dashboard).
/// </summary>
public static class GatewayOperationsExtensions
{
    public static WebApplicationBuilder AddGatewayOperations(this WebApplicationBuilder builder, bool hostsSilo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;

        // Kestrel's addresses are chosen while the host is composed: the one early read of the
        // management settings, through the check the host runs at start on the ones bound here.
        var management = OptionsReader.Read<ManagementOptions>(configuration, ManagementOptions.SectionName);
        builder.WebHost.UseUrls(ListenUrls(configuration, management));
        builder.Logging.AddSynapseLogDefaults(configuration, AdminSchemes.HandlerLogCategories);
        builder.Services.AddSynapseOptions<ManagementOptions>(configuration, ManagementOptions.SectionName);
        builder.Services.AddTransient<IStartupFilter, ManagementPortFilter>();
        builder.Services.AddSynapseOptions<SynapseOrleansOptions>(configuration, SynapseOrleansOptions.SectionName);

        // SIGTERM: /healthz/ready says "draining" at once; for Synapse:Shutdown:DrainDelaySeconds
        // (0 unless set) the front end still listens and serves, so a load balancer sees the 503
        // before the port closes; then Kestrel stops taking connections and lets the requests in
        // flight finish, streams included, for up to the grace period.
        // A client-mode front end listens (and answers /healthz/live, and 503 on /v1) while its
        // Orleans client is still waiting for a silo, instead of staying dark until one comes.
        builder.Services.AddSynapseShutdown(configuration, host => host.ServicesStartConcurrently = !hostsSilo);
        builder.Services.AddSynapseHealthChecks(hostsSilo);
        builder.Services.AddSynapseMemoryTrim(configuration);
        builder.Services.AddSingleton<ClusterCalls>();
        builder.Services.AddExceptionHandler<UnreadableAuditRowExceptionHandler>();
        builder.Services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();
        builder.Services.AddSynapseTelemetry(
            configuration,
            hostsSilo ? SynapseRoles.AllInOne : SynapseRoles.Gateway,
            tracing => tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperations(context.Request.Path)),
            metrics => metrics.AddAspNetCoreInstrumentation());
        return builder;
    }

    public static WebApplication MapGatewayOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var management = app.Services.GetRequiredService<ManagementOptions>();
        app.MapSynapseHealth();
        var metrics = app.MapSynapseMetrics();
        if (management.Port is null)
        {
            metrics?.RequireAuthorization(AdminPolicies.Read);
        }

        return app;
    }

    private static bool IsOperations(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments(TelemetryExtensions.MetricsPath);

    /// <summary>
    /// The front end's addresses (<c>urls</c>, else <c>http_ports</c>, else localhost:8080), plus
    /// the management port when one is set, on its own address, else on localhost like the API's
    /// default (<see cref="ManagementOptions.FrontEndListenUrl"/>).
    /// </summary>
    private static string ListenUrls(ConfigurationManager configuration, ManagementOptions management)
    {
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured
            : configuration["http_ports"] is { Length: > 0 } ports ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://+:{p}"))
            : GatewayBuilderExtensions.DefaultUrl;
        return management.Port is { } port ? $"{urls};{management.FrontEndListenUrl(port)}" : urls;
    }
}
