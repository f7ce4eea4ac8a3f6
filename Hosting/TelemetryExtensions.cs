using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Synapse.Hosting;

public static class TelemetryExtensions
{
    /// <summary>
    /// Traces and metrics for Orleans, HTTP clients and (through <paramref name="configureTracing"/>)
    /// the host's own sources, exported over OTLP when <c>Synapse:Telemetry:OtlpEndpoint</c> is set.
    /// Only names, statuses and timings are recorded: no span carries a prompt, answer or key.
    /// </summary>
    public static IServiceCollection AddSynapseTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<TracerProviderBuilder>? configureTracing = null,
        Action<MeterProviderBuilder>? configureMetrics = null)
    {
        var endpoint = configuration["Synapse:Telemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        var otlp = new Uri(endpoint);
        services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddHttpClientInstrumentation();
                configureTracing?.Invoke(tracing);
                tracing.AddOtlpExporter(o => o.Endpoint = otlp);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Microsoft.Orleans").AddHttpClientInstrumentation();
                configureMetrics?.Invoke(metrics);
                metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        return services;
    }
}
