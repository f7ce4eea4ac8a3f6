using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synapse.Tests.Providers;

/// <summary>
/// A provider's API on real HTTP: Kestrel on 127.0.0.1 with a free port, recording every request
/// and answering with whatever the test scripts in <see cref="Respond"/>.
/// </summary>
public sealed class MockUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MockUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public List<RecordedRequest> Requests { get; } = [];

    public RecordedRequest Last => Requests[^1];

    /// <summary>Answers each request; the default is 404.</summary>
    public Func<HttpContext, Task> Respond { get; set; } = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    public static async Task<MockUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        MockUpstream? upstream = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray());
            lock (upstream!.Requests)
            {
                upstream.Requests.Add(recorded);
            }

            await upstream.Respond(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        upstream = new MockUpstream(app, new Uri(address));
        return upstream;
    }

    /// <summary>A JSON answer with the given status.</summary>
    public static Func<HttpContext, Task> Json(string json, HttpStatusCode status = HttpStatusCode.OK) => async context =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    };

    /// <summary>A <c>text/event-stream</c> answer written piece by piece, flushing after each.</summary>
    public static Func<HttpContext, Task> EventStream(params string[] pieces) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        foreach (var piece in pieces)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(piece));
            await context.Response.Body.FlushAsync();
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, Dictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
