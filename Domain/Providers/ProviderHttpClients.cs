using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Synapse.Routing;

namespace Synapse.Providers;

/// <summary>
/// One named HttpClient per configured provider, each with its own retry and circuit breaker
/// (Microsoft.Extensions.Http.Resilience), so one failing provider never trips another's circuit.
/// </summary>
public static class ProviderHttpClients
{
    public static string ClientName(string provider) => "synapse-provider:" + provider;

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var resilience = configuration.GetSection(ProviderResilienceOptions.SectionName).Get<ProviderResilienceOptions>() ?? new();
        services.AddSingleton(resilience);
        foreach (var provider in configuration.GetSection(ProviderCatalog.SectionName).GetChildren().Select(s => s.Key))
        {
            services.AddHttpClient(ClientName(provider))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    // Providers are called by name; recycle connections so DNS changes are seen.
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(resilience.ConnectTimeoutSeconds),
                    AllowAutoRedirect = false,
                })
                // The factory's default handlers log every call at Information (start, headers,
                // end: four lines and a scope per request); failures are logged by FailoverCaller.
                .RemoveAllLoggers()
                .AddResilienceHandler("provider", (pipeline, context) => Configure(pipeline, resilience, context.ServiceProvider.GetRequiredService<ProviderHealth>(), provider));
        }
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ProviderResilienceOptions options, ProviderHealth health, string provider)
    {
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
            });
        }

        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = Math.Max(2, options.CircuitMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(1, options.CircuitSamplingSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(1, options.CircuitBreakSeconds)),
                StateProvider = health.CircuitOf(provider),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.FirstByteTimeoutSeconds));
    }
}
