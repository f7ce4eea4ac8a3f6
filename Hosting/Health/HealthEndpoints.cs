using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Synapse.Hosting.Drain;

namespace Synapse.Hosting.Health;

/// <summary>
/// <c>/healthz/live</c>: the process is up (no check runs). <c>/healthz/ready</c>: it can serve —
/// not stopping, its database answers, and its cluster: a front end reaches a silo; a silo is an
/// active member with a running audit writer. 200 when ready, 503 with each check's state when not.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";
    private const string ReadyTag = "ready";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The readiness checks of a process that hosts a silo (<paramref name="hostsSilo"/>) or of a client-mode front end.</summary>
    public static IServiceCollection AddSynapseHealthChecks(this IServiceCollection services, bool hostsSilo)
    {
        services.TryAddSingleton<DrainState>();
        services.TryAddSingleton<ReadinessLog>();
        var checks = services.AddHealthChecks()
            .AddCheck<DrainingHealthCheck>("draining", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: CheckTimeout);
        if (hostsSilo)
        {
            checks.AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag])
                .AddCheck<AuditWriterHealthCheck>("audit_writer", tags: [ReadyTag]);
        }
        else
        {
            checks.AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag], timeout: CheckTimeout);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapSynapseHealth(this IEndpointRouteBuilder endpoints)
    {
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync };
        endpoints.MapHealthChecks(LivePath, live);
        endpoints.MapHealthChecks("/healthz", live);
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteReadinessAsync });
        return endpoints;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.RequestServices.GetRequiredService<ReadinessLog>().Observe(report);
        return WriteAsync(context, report);
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                if (entry.Description is { } description)
                {
                    json.WriteString("description", description);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}
