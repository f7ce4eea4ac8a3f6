using System.Net;
using System.Net.Http.Headers;

namespace Synapse.LoadHarness.Load;

/// <summary>One measured path: where the same chat-completions request is sent, and how.</summary>
internal sealed class LoadTarget(string name, Uri chatCompletionsUrl, string? bearer, byte[] body, bool stream, TimeSpan timeout) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name { get; } = name;

    public bool Stream { get; } = stream;

    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        // Open loop: as many connections as the in-flight requests need, kept for the whole run.
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = timeout,
    };

    private readonly AuthenticationHeaderValue? _authorization = bearer is null ? null : new("Bearer", bearer);

    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, chatCompletionsUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        if (_authorization is not null)
        {
            request.Headers.Authorization = _authorization;
        }

        if (Stream)
        {
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        return request;
    }

    public void Dispose() => Client.Dispose();
}
