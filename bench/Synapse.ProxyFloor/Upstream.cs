using System.Net.Http.Headers;

namespace Synapse.ProxyFloor;

/// <summary>The provider: one pooled HttpClient, the body posted as JSON, the answer read whole.</summary>
public sealed class Upstream(Uri chatCompletions)
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    public async Task<byte[]> ForwardAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(chatCompletions, content);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
