using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Synapse.LoadHarness.Upstream;

/// <summary>
/// An OpenAI-compatible upstream on loopback that answers every chat completion after a fixed
/// latency. It reads and parses the whole request like a real server would, so a body the
/// gateway mangles still costs what it would cost upstream.
/// </summary>
internal sealed class MockUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MockCompletions _completions;
    private readonly TimeSpan _latency;
    private readonly TimeSpan _chunkInterval;

    private MockUpstream(WebApplication app, MockCompletions completions, TimeSpan latency, TimeSpan chunkInterval)
    {
        _app = app;
        _completions = completions;
        _latency = latency;
        _chunkInterval = chunkInterval;
    }

    /// <summary>The OpenAI base URL, ending in <c>/v1</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<MockUpstream> StartAsync(HarnessOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });

        var app = builder.Build();
        var completions = new MockCompletions(options.CompletionChars, options.StreamChunks);
        var upstream = new MockUpstream(app, completions, TimeSpan.FromMilliseconds(options.UpstreamLatencyMs), TimeSpan.FromMilliseconds(options.StreamChunkIntervalMs));
        app.MapPost("/v1/chat/completions", upstream.ChatCompletionsAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return upstream;
    }

    private async Task ChatCompletionsAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var (model, stream) = await ReadRequestAsync(context.Request, aborted);
        if (model is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await Task.Delay(_latency, aborted);
        var response = context.Response;
        if (!stream)
        {
            var body = _completions.Completion(model);
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, aborted);
            return;
        }

        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var chunks = _completions.Chunks(model);
        for (var i = 0; i < chunks.Length; i++)
        {
            if (i > 0 && _chunkInterval > TimeSpan.Zero)
            {
                await Task.Delay(_chunkInterval, aborted);
            }

            await response.Body.WriteAsync(chunks[i], aborted);
            await response.Body.FlushAsync(aborted);
        }
    }

    private static async Task<(string? Model, bool Stream)> ReadRequestAsync(HttpRequest request, CancellationToken aborted)
    {
        var length = (int)(request.ContentLength ?? 64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1024));
        try
        {
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(filled), aborted)) > 0)
            {
                filled += read;
            }

            using var json = JsonDocument.Parse(buffer.AsMemory(0, filled));
            var root = json.RootElement;
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            return (model, stream);
        }
        catch (JsonException)
        {
            return (null, false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
