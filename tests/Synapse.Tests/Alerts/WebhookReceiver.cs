using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Synapse.Tests.Alerts;

/// <summary>
/// A webhook receiver on Kestrel on 127.0.0.1 that checks every request's signature the way a
/// real receiver would (recomputing the HMAC from the secret), and records what it got.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string secret)
    {
        _app = app;
        Secret = secret;
    }

    public string Secret { get; }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status to answer with (200 by default).</summary>
    public int Status { get; set; } = 200;

    /// <summary>When set, answers 302 to this location.</summary>
    public Uri? RedirectTo { get; set; }

    /// <summary>When set, waits this long before answering.</summary>
    public TimeSpan? Hang { get; set; }

    public static async Task<WebhookReceiver> StartAsync(string secret, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First() + "/hook");
        return receiver;
    }

    public static bool Verify(string secret, string timestamp, string signature, byte[] body)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var timestamp = context.Request.Headers["X-Synapse-Timestamp"].ToString();
        var signature = context.Request.Headers["X-Synapse-Signature"].ToString();
        Received.Enqueue(new ReceivedWebhook(
            Encoding.UTF8.GetString(body),
            timestamp,
            signature,
            context.Request.Headers["X-Synapse-Alert-Id"].ToString(),
            Verify(Secret, timestamp, signature, body)));
        if (Hang is { } hang)
        {
            await Task.Delay(hang, context.RequestAborted);
        }

        if (RedirectTo is { } location)
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = location.ToString();
            return;
        }

        context.Response.StatusCode = Status;
    }
}

public sealed record ReceivedWebhook(string Body, string Timestamp, string Signature, string AlertId, bool SignatureValid);
