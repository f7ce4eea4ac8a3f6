using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Telemetry;

/// <summary>
/// An OTLP receiver on loopback, in the test: OTLP/HTTP (<c>http/protobuf</c>, POST to
/// <c>/v1/traces</c> and <c>/v1/metrics</c>) on one port, OTLP/gRPC (HTTP/2 without TLS) on another.
/// It decodes the spans it is sent and records every path it is posted to.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string GrpcTraces = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, int httpPort, int grpcPort)
    {
        _app = app;
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpEndpoint { get; }

    public Uri GrpcEndpoint { get; }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Every (protocol, path) an export was posted to.</summary>
    public ConcurrentQueue<(string Protocol, string Path)> Posts { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var (httpPort, grpcPort) = (FreePort.Next(), FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(httpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.ListenLocalhost(grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, httpPort, grpcPort);
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray().AsMemory();
        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        Posts.Enqueue((grpc ? "grpc" : "http", context.Request.Path.Value ?? ""));
        if (grpc)
        {
            // gRPC framing: a compressed flag and a big-endian length before the message.
            var length = BinaryPrimitives.ReadInt32BigEndian(body.Span[1..5]);
            if (context.Request.Path == GrpcTraces)
            {
                ReadTraces(body.Slice(5, length));
            }

            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
            return;
        }

        if (context.Request.Path == "/v1/traces")
        {
            ReadTraces(body);
        }

        context.Response.ContentType = "application/x-protobuf";
    }

    /// <summary>ExportTraceServiceRequest → ResourceSpans(1) → Resource(1), ScopeSpans(2) → Span(2).</summary>
    private void ReadTraces(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceSpans in ProtobufFields.Read(request).Where(f => f.Number == 1))
        {
            var fields = ProtobufFields.Read(resourceSpans.Bytes).ToList();
            var resource = fields.Where(f => f.Number == 1).SelectMany(f => Attributes(f.Bytes, 1)).ToDictionary();
            foreach (var scopeSpans in fields.Where(f => f.Number == 2))
            {
                foreach (var span in ProtobufFields.Read(scopeSpans.Bytes).Where(f => f.Number == 2))
                {
                    var s = ProtobufFields.Read(span.Bytes).ToList();
                    Spans.Enqueue(new ReceivedSpan(
                        resource.GetValueOrDefault("service.name", ""),
                        Hex(s, 1), Hex(s, 2), Hex(s, 4),
                        s.Where(f => f.Number == 5).Select(f => ProtobufFields.Text(f.Bytes)).FirstOrDefault() ?? "",
                        (int)s.Where(f => f.Number == 6).Select(f => f.Varint).FirstOrDefault(),
                        Attributes(span.Bytes, 9).ToDictionary()));
                }
            }
        }
    }

    private static string Hex(List<(int Number, ulong Varint, ReadOnlyMemory<byte> Bytes)> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Convert.ToHexStringLower(f.Bytes.Span)).FirstOrDefault() ?? "";

    /// <summary>KeyValue(key 1, AnyValue 2: string 1, bool 2, int 3, double 4), values as text.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(ReadOnlyMemory<byte> message, int field)
    {
        foreach (var keyValue in ProtobufFields.Read(message).Where(f => f.Number == field))
        {
            var parts = ProtobufFields.Read(keyValue.Bytes).ToList();
            var key = parts.Where(p => p.Number == 1).Select(p => ProtobufFields.Text(p.Bytes)).FirstOrDefault() ?? "";
            var value = parts.Where(p => p.Number == 2).SelectMany(p => ProtobufFields.Read(p.Bytes)).Select(v => v.Number switch
            {
                1 => ProtobufFields.Text(v.Bytes),
                2 or 3 => v.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture),
                4 => BitConverter.Int64BitsToDouble((long)v.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => ProtobufFields.Text(v.Bytes),
            }).FirstOrDefault() ?? "";
            yield return new(key, value);
        }
    }

    public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes);
}
