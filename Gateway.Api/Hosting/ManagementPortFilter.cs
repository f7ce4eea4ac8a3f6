using Synapse.Hosting.Management;
using Synapse.Hosting.Telemetry;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// With a management port set, keeps the two ports apart before anything else runs: the management
/// port serves <c>/healthz/*</c> and <c>/metrics</c> only, without credentials; the main port serves
/// everything but <c>/metrics</c>. The port the connection arrived on decides, never the Host
/// header, which a client chooses.
/// </summary>
internal sealed class ManagementPortFilter(ManagementOptions management) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (management.Port is { } port)
        {
            app.Use((context, following) =>
            {
                var onManagementPort = context.Connection.LocalPort == port;
                var path = context.Request.Path;
                var isMetrics = path.StartsWithSegments(TelemetryExtensions.MetricsPath);
                if (onManagementPort ? !(isMetrics || path.StartsWithSegments("/healthz")) : isMetrics)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return following(context);
            });
        }

        next(app);
    };
}
