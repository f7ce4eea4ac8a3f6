using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

namespace Synapse.Hosting.Telemetry;

/// <summary>
/// Metrics and traces, bound from <c>Synapse:Telemetry</c> (<see cref="TelemetryExtensions.AddSynapseTelemetry"/>).
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Telemetry";
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>
    /// An OTLP receiver's base address (a collector, Tempo, Jaeger, …), e.g. <c>http://collector:4317</c>
    /// for gRPC or <c>http://collector:4318</c> for HTTP: traces and metrics are exported there.
    /// Unset: the standard <c>OTEL_EXPORTER_OTLP_*</c> variables are used when present, else nothing is exported.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c> (posted to <c>/v1/traces</c> and <c>/v1/metrics</c> under the endpoint).</summary>
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>Serve the metrics for Prometheus at <c>/metrics</c> (see <c>Synapse:Management:Port</c> for where).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// The label sets one metric of the frameworks (Orleans, ASP.NET Core, <c>HttpClient</c>, the
    /// runtime) keeps apart; later sets add up in one more series labelled <c>otel_metric_overflow</c>.
    /// OpenTelemetry allocates each metric's series up front (72 bytes each), and at its default
    /// of 2,000 the framework metrics held 20 MB of an idle gateway; theirs are bounded by routes,
    /// grain types and status codes. The gateway's own metrics (labelled by key, team, model) keep
    /// OpenTelemetry's 2,000.
    /// </summary>
    [Range(10, 100_000, ErrorMessage = OptionsMessages.Between)]
    public int FrameworkSeriesLimit { get; set; } = 200;

    /// <summary>The <c>service.name</c> resource attribute; by default <c>synapse-gateway</c>, <c>synapse-silo</c> or <c>synapse</c> (all-in-one).</summary>
    public string? ServiceName { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpProtocol is not (Grpc or HttpProtobuf))
        {
            yield return new ValidationResult($"must be '{Grpc}' or '{HttpProtobuf}'.", [nameof(OtlpProtocol)]);
        }

        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("must be an absolute http or https URL.", [nameof(OtlpEndpoint)]);
        }
    }

    /// <summary>Where one signal is sent: the endpoint itself for gRPC, its signal path for HTTP.</summary>
    public Uri SignalEndpoint(string signal)
    {
        var endpoint = OtlpEndpoint ?? throw new InvalidOperationException("No OTLP endpoint is configured.");
        return OtlpProtocol == HttpProtobuf ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/" + signal) : endpoint;
    }
}
