using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Synapse.ProxyFloor;

/// <summary>The provider: one pooled HttpClient, the body posted as JSON, the answer read whole.</summary>
public sealed class Upstream(Uri chatCompletions, HttpClient? client = null)
{
    public const string ResilientClient = "resilient";

    private readonly HttpClient _client = client ?? new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    /// <summary>The gateway's provider client: the factory's named client with its resilience pipeline.</summary>
    public static void AddResilientClient(IServiceCollection services) =>
        services.AddHttpClient(ResilientClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers()
            .AddResilienceHandler("provider", pipeline => pipeline
                .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions())
                .AddTimeout(TimeSpan.FromSeconds(30)));

    public async Task<byte[]> ForwardAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _client.PostAsync(chatCompletions, content);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
