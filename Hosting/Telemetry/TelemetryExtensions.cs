using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Synapse.Configuration;
using Synapse.Telemetry;

namespace Synapse.Hosting.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Metrics (the gateway's own, Orleans', HTTP clients', the runtime's) for Prometheus and, when
    /// an endpoint is configured, metrics and traces over OTLP, with <c>service.name</c> set to the
    /// process's <paramref name="role"/> (<see cref="SynapseRoles"/>). Traces follow a request from
    /// the front end through the grains (Orleans' activity propagation) to the provider call. Only
    /// names, ids, statuses and timings are recorded: no span or label carries a prompt, an answer
    /// or a secret.
    /// </summary>
    public static IServiceCollection AddSynapseTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string role,
        Action<TracerProviderBuilder>? configureTracing = null,
        Action<MeterProviderBuilder>? configureMetrics = null)
    {
        // Which exporters exist is decided while the host is composed: the one early read of these
        // settings, through the validator the host runs at start; the running host takes the
        // IOptions<TelemetryOptions> bound beside it.
        var options = OptionsReader.Read<TelemetryOptions>(configuration, TelemetryOptions.SectionName);
        services.AddSynapseOptions<TelemetryOptions>(configuration, TelemetryOptions.SectionName);
        var exportsOtlp = options.OtlpEndpoint is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(
            serviceName: options.ServiceName ?? role,
            serviceVersion: typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString(),
            serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"));

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayTelemetry.Name, "Microsoft.Orleans", "System.Runtime").AddHttpClientInstrumentation();
            // Null keeps an instrument's own configuration (the gateway's: 2,000 series); a
            // histogram's bucket boundaries still come from its instrument's advice.
            metrics.AddView(instrument => instrument.Meter.Name == GatewayTelemetry.Name
                ? null
                : new MetricStreamConfiguration { CardinalityLimit = options.FrameworkSeriesLimit });
            configureMetrics?.Invoke(metrics);
            if (options.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (exportsOtlp)
            {
                metrics.AddOtlpExporter(o => Configure(o, options, "metrics"));
            }
        });

        if (exportsOtlp)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application").AddHttpClientInstrumentation();
                configureTracing?.Invoke(tracing);
                tracing.AddOtlpExporter(o => Configure(o, options, "traces"));
            });
        }

        return services;
    }

    /// <summary>The Prometheus scrape endpoint, when enabled; null otherwise.</summary>
    public static IEndpointConventionBuilder? MapSynapseMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.ServiceProvider.GetRequiredService<TelemetryOptions>().Prometheus
            ? endpoints.MapPrometheusScrapingEndpoint(MetricsPath)
            : null;
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, string signal)
    {
        if (options.OtlpEndpoint is null)
        {
            return; // the OTEL_EXPORTER_OTLP_* variables decide, signal paths included
        }

        exporter.Protocol = options.OtlpProtocol == TelemetryOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        exporter.Endpoint = options.SignalEndpoint(signal);
    }
}
