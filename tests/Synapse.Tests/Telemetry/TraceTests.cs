using System.Net.Http.Json;
using Synapse.Tests.Cluster;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Telemetry;

/// <summary>
/// One trace per request, front end → grains → provider: a front end exporting over OTLP/HTTP and
/// a silo process exporting over OTLP/gRPC to a receiver in the test. The provider's span hangs
/// under the front end's server span, the provider received the same trace id, each process names
/// its role, and no span carries the prompt, the answer or the key.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class TraceTests(PostgresServer postgres) : ClusterTest(postgres)
{
    private const int ServerKind = 2;

    [Fact]
    public async Task ARequest_IsOneTrace_FromTheFrontEndThroughTheKeyGrainToTheProvider_OverBothOtlpProtocols()
    {
        var receiver = await OtlpReceiver.StartAsync();
        Running.Add(receiver);
        var silo = new Dictionary<string, string?>(Settings)
        {
            ["Synapse:Telemetry:OtlpEndpoint"] = receiver.GrpcEndpoint.ToString(),
            ["Synapse:Telemetry:OtlpProtocol"] = "grpc",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        Running.Add(await SiloProcess.StartAsync(silo));
        var frontEndSettings = FrontEndSettings;
        frontEndSettings["Synapse:Telemetry:OtlpEndpoint"] = receiver.HttpEndpoint.ToString();
        frontEndSettings["Synapse:Telemetry:OtlpProtocol"] = "http/protobuf";
        frontEndSettings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        frontEndSettings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        var frontEnd = await GatewayHost.StartAsync(frontEndSettings);
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);
        var marker = "tracemarker" + Guid.NewGuid().ToString("N");

        (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } })).EnsureSuccessStatusCode();
        var traceparent = Upstream.RequestsFor(marker).Single().Headers["traceparent"];
        var traceId = traceparent.Split('-')[1];
        // A span is exported when it ends, and the grain call's span around the answer sequence
        // ends after the answer went out: wait until the provider's span reaches the server's.
        var trace = await SpansOfAsync(receiver, traceId, spans => ReachesServer(spans, "chat llama3"));

        var provider = trace.Single(s => s.Name == "chat llama3");
        var bySpanId = trace.ToDictionary(s => s.SpanId);
        var ancestors = new List<OtlpReceiver.ReceivedSpan>();
        for (var span = provider; bySpanId.TryGetValue(span.ParentSpanId, out var parent); span = parent)
        {
            ancestors.Add(parent);
        }

        Assert.Equal("synapse-silo", provider.Service);
        Assert.Equal("llama3", provider.Attributes["gen_ai.request.model"]);
        Assert.Equal("chat", provider.Attributes["gen_ai.operation.name"]);
        Assert.Equal("local", provider.Attributes["synapse.provider.name"]);
        // The front end's HTTP server span is above the provider's. (The mock provider runs in this
        // test process too, so its own server span, below the provider's, is exported with the front
        // end's service name: the search goes up from the provider, never down.)
        Assert.Single(ancestors, s => s.Service == "synapse-gateway" && s.Kind == ServerKind && s.Attributes.ContainsKey("http.request.method"));
        Assert.Contains(ancestors, s => s.Service == "synapse-silo" && s.Kind == ServerKind);
        Assert.DoesNotContain(trace.SelectMany(s => s.Attributes.Values.Append(s.Name)), v => v.Contains(marker, StringComparison.Ordinal) || v.Contains(secret[4..], StringComparison.Ordinal) || v.Contains("echo:", StringComparison.Ordinal));

        // Signal paths: HTTP posts each signal to its own path, gRPC to its service; nothing to "/".
        await WaitUntilAsync(() => receiver.Posts.Contains(("http", "/v1/metrics")) && receiver.Posts.Any(p => p.Protocol == "grpc" && p.Path.Contains("MetricsService", StringComparison.Ordinal)));
        Assert.All(receiver.Posts.Where(p => p.Protocol == "http"), p => Assert.Contains(p.Path, new[] { "/v1/traces", "/v1/metrics" }));
        Assert.Contains(("grpc", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"), receiver.Posts);
    }

    // An exporter that timed out on a busy machine sends its batch again: one span per id.
    private static Task<List<OtlpReceiver.ReceivedSpan>> SpansOfAsync(OtlpReceiver receiver, string traceId, Func<List<OtlpReceiver.ReceivedSpan>, bool> complete) =>
        Eventually.ValueAsync(() => receiver.Spans.Where(s => s.TraceId == traceId).DistinctBy(s => s.SpanId).ToList(), complete);

    private static bool ReachesServer(List<OtlpReceiver.ReceivedSpan> spans, string name)
    {
        var bySpanId = spans.ToDictionary(s => s.SpanId);
        for (var span = spans.FirstOrDefault(s => s.Name == name); span is not null; span = bySpanId.GetValueOrDefault(span.ParentSpanId))
        {
            if (span.Service == "synapse-gateway" && span.Kind == ServerKind && span.Attributes.ContainsKey("http.request.method"))
            {
                return true;
            }
        }

        return false;
    }

    // Returns at the deadline without failing: the assertions that follow say what was missing.
    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.ValueAsync(condition, held => held);
}
