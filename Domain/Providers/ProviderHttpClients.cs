using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Synapse.Configuration;
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
        services.AddSynapseOptions<ProviderResilienceOptions>(configuration, ProviderResilienceOptions.SectionName);

        // Polly logs every attempt and every retry of a failing call (five lines at Warning and
        // Error for one request with two retries); FailoverCaller already logs the request's one
        // failure line. Those two events go to Debug; a circuit opening or closing keeps its level.
        services.Configure<Polly.Telemetry.TelemetryOptions>(telemetry => telemetry.SeverityProvider = e =>
            e.Event.EventName is "ExecutionAttempt" or "OnRetry" ? Polly.Telemetry.ResilienceEventSeverity.Debug : e.Event.Severity);

        // One client name per provider, so the names are read here; the providers' settings are
        // bound and checked with the catalog (ProviderCatalogOptions).
        foreach (var provider in configuration.GetSection(ProviderCatalog.SectionName).GetChildren().Select(s => s.Key))
        {
            services.AddHttpClient(ClientName(provider))
                .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
                {
                    // Providers are called by name; recycle connections so DNS changes are seen.
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<ProviderResilienceOptions>().ConnectTimeoutSeconds),
                    AllowAutoRedirect = false,
                })
                // The factory's default handlers log every call at Information (start, headers,
                // end: four lines and a scope per request); failures are logged by FailoverCaller.
                .RemoveAllLoggers()
                .AddResilienceHandler("provider", (pipeline, context) => Configure(
                    pipeline, context.ServiceProvider.GetRequiredService<ProviderResilienceOptions>(), context.ServiceProvider.GetRequiredService<ProviderHealth>(), provider));
        }
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ProviderResilienceOptions options, ProviderHealth health, string provider)
    {
        if (options.MaxRetries > 0)
        {
            // A provider's Retry-After is waited out when it is short and ends the retries when it
            // is long (ProviderOutcomes.ShouldRetry); the library's own Retry-After handling reads
            // neither retry-after-ms nor a bound, so the delay is given here (null: the backoff).
            var maxWait = TimeSpan.FromMilliseconds(options.MaxRetryAfterWaitMilliseconds);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ProviderOutcomes.ShouldRetry(args.Outcome, maxWait)),
                DelayGenerator = args => ValueTask.FromResult(ProviderOutcomes.RetryDelay(args.Outcome)),
            });
        }

        // The breaker counts only the provider being unwell: a 429 (one key's rate limit, or even
        // the provider's), a 400 or a 413 is about the request, and opening the circuit on it would
        // refuse every key on this provider for the break.
        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(ProviderOutcomes.IsOutage(args.Outcome)),
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = Math.Max(2, options.CircuitMinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(1, options.CircuitSamplingSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(1, options.CircuitBreakSeconds)),
                StateProvider = health.CircuitOf(provider),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.FirstByteTimeoutSeconds));
    }
}
