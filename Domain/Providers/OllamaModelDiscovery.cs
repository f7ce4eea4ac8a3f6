using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Routing;

namespace Synapse.Providers;

/// <summary>
/// Fills in the models of Ollama providers configured without <c>Models</c>, from Ollama's native
/// <c>GET /api/tags</c>. Retried every minute until the server answers, so an Ollama started after
/// the gateway is picked up; each model is served under its full name (<c>llama3:latest</c>) and,
/// for the <c>latest</c> tag, its short one (<c>llama3</c>).
/// </summary>
public sealed partial class OllamaModelDiscovery(ProviderCatalog catalog, IHttpClientFactory httpClients, ILogger<OllamaModelDiscovery> logger) : BackgroundService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = catalog.Routes.Where(r => r.Options.Type == ProviderTypes.Ollama && r.Options.Models.Count == 0).ToList();
        while (pending.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            foreach (var route in pending.ToList())
            {
                if (await DiscoverAsync(route, stoppingToken) is { Count: > 0 } models)
                {
                    // A new list replaces the old in one reference write: readers never see it half-filled.
                    route.Options.Models = models;
                    pending.Remove(route);
                    Log.Discovered(logger, route.Name, models.Count);
                }
            }

            if (pending.Count > 0)
            {
                // A stop ends the wait without an exception: stopping (a failed start's too) is not a failure here.
                await Task.Delay(RetryInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<List<string>?> DiscoverAsync(ProviderRoute route, CancellationToken cancellationToken)
    {
        // BaseUrl points at the OpenAI-compatible API (…/v1); the native API lives at the root.
        var root = route.Options.BaseUrl!.AbsoluteUri.TrimEnd('/');
        if (root.EndsWith("/v1", StringComparison.Ordinal))
        {
            root = root[..^3];
        }

        try
        {
            using var http = httpClients.CreateClient(ProviderHttpClients.ClientName(route.Name));
            http.Timeout = TimeSpan.FromSeconds(10);
            var tags = await http.GetFromJsonAsync<OllamaTags>(new Uri(root + "/api/tags"), cancellationToken);
            var names = (tags?.Models ?? []).Select(m => m.Name).OfType<string>().ToList();
            return [.. names.Concat(names.Where(n => n.EndsWith(":latest", StringComparison.Ordinal)).Select(n => n[..^":latest".Length])).Distinct(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
        {
            Log.Unreachable(logger, route.Name);
            return null;
        }
    }

    private sealed record OllamaTags([property: JsonPropertyName("models")] List<OllamaModel>? Models);

    private sealed record OllamaModel([property: JsonPropertyName("name")] string? Name);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ollama provider {Provider} serves {Count} models")]
        public static partial void Discovered(ILogger logger, string provider, int count);

        [LoggerMessage(2, LogLevel.Warning, "Ollama provider {Provider} did not list its models; retrying in a minute")]
        public static partial void Unreachable(ILogger logger, string provider);
    }
}
