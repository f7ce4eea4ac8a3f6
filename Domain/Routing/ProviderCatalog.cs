using Microsoft.Extensions.Configuration;
using Synapse.Configuration;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;

namespace Synapse.Routing;

/// <summary>
/// The providers of <c>Synapse:Providers</c>, validated once at start-up, and the routing rule:
/// a sensitive key is only ever routed to an on-prem provider.
/// </summary>
public sealed class ProviderCatalog
{
    public const string SectionName = "Synapse:Providers";

    private static readonly string[] KnownTypes =
    [
        ProviderTypes.OpenAi, ProviderTypes.Vllm, ProviderTypes.Ollama, ProviderTypes.AzureOpenAi, ProviderTypes.Anthropic, ProviderTypes.Gemini,
    ];

    /// <summary>Types whose adapter knows the provider's public endpoint when BaseUrl is not set.</summary>
    private static readonly string[] TypesWithDefaultUrl = [ProviderTypes.Anthropic, ProviderTypes.Gemini];

    private readonly IReadOnlyList<ProviderRoute> _routes;

    public ProviderCatalog(IEnumerable<ProviderRoute> routes) => _routes = [.. routes.OrderBy(r => r.Name, StringComparer.Ordinal)];

    public IReadOnlyList<ProviderRoute> Routes => _routes;

    /// <summary>The catalog of bound and checked settings (<see cref="ProviderCatalogValidator"/>).</summary>
    internal static ProviderCatalog From(ProviderCatalogOptions providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        return new ProviderCatalog(providers.Select(p => new ProviderRoute(p.Key, ParseLocation(p.Value.Location)!.Value, p.Value)));
    }

    /// <summary>Every problem of one provider's settings (bound, and as configured), each a line naming its key.</summary>
    internal static IEnumerable<string> Problems(string name, ProviderOptions options, IConfiguration configuration)
    {
        var where = $"{SectionName}:{name}";
        if (!KnownTypes.Contains(options.Type, StringComparer.Ordinal))
        {
            yield return $"{where}:Type '{options.Type}' is not one of: {string.Join(", ", KnownTypes.Order(StringComparer.Ordinal))}.";
        }

        if (options.BaseUrl is null && TypesWithDefaultUrl.Contains(options.Type))
        {
            // The adapter fills in the provider's public endpoint.
        }
        else if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{where}:BaseUrl must be an absolute http or https URL.";
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey) && PublicEndpointNeedingAKey(options) is { } endpoint)
        {
            // Every call would come back 401: a provider that can never answer is refused now, not at the first request.
            yield return $"{where}:ApiKey is required: {endpoint} answers no call without one.";
        }

        if (options.Models.Count == 0 && options.Type != ProviderTypes.Ollama && !ListSettings.HasPlainValue(configuration, $"{where}:Models"))
        {
            // Ollama lists its own models (OllamaModelDiscovery); every other type must say. A
            // plain value at Models is reported as a list given one value (SettingsSpellingValidator).
            yield return $"{where}:Models must name at least one model.";
        }

        foreach (var model in options.Models.Where(m => m.Contains(',', StringComparison.Ordinal)))
        {
            // A model name never holds a comma: this is a list written as one value.
            yield return ListSettings.SeveralInOneEntry($"{where}:Models", model, "models");
        }

        if (options.TimeoutSeconds <= 0)
        {
            yield return $"{where}:TimeoutSeconds must be positive.";
        }

        if (options.MaxAnswerBytes is < 1 or > ProviderOptions.MaxAnswerBytesLimit)
        {
            yield return $"{where}:MaxAnswerBytes must be between 1 and {ProviderOptions.MaxAnswerBytesLimit}.";
        }

        if (string.IsNullOrWhiteSpace(options.Location))
        {
            yield return $"{where}:Location is required: 'on-prem' or 'cloud' (sensitive keys only reach on-prem providers, so it is never assumed).";
        }
        else if (ParseLocation(options.Location) is null)
        {
            yield return $"{where}:Location must be 'on-prem' or 'cloud'.";
        }
    }

    /// <summary>
    /// The public API a provider calls when it takes no call without a credential: Anthropic's and
    /// Gemini's (their own endpoint, or a base URL on their hosts), OpenAI's and Azure OpenAI's. Any other base URL
    /// may be a local server (or a proxy that adds the key), which needs none.
    /// </summary>
    private static string? PublicEndpointNeedingAKey(ProviderOptions options)
    {
        var host = options.BaseUrl is { IsAbsoluteUri: true } url ? url.Host : null;
        return options.Type switch
        {
            ProviderTypes.Anthropic when host is null || IsHostOrUnder(host, "anthropic.com") => "Anthropic's API",
            ProviderTypes.Gemini when host is null || IsHostOrUnder(host, "googleapis.com") => "Gemini's API",
            ProviderTypes.OpenAi or ProviderTypes.Vllm when host is not null && IsHostOrUnder(host, "openai.com") => "OpenAI's API",
            ProviderTypes.AzureOpenAi when host is not null && (IsHostOrUnder(host, "openai.azure.com") || IsHostOrUnder(host, "cognitiveservices.azure.com")) => "Azure OpenAI",
            _ => null,
        };
    }

    private static bool IsHostOrUnder(string host, string domain) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    public static ProviderLocation? ParseLocation(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "on-prem" or "onprem" => ProviderLocation.OnPrem,
        "cloud" => ProviderLocation.Cloud,
        _ => null,
    };

    public bool Serves(string model) => _routes.Any(r => r.Serves(model));

    public bool ServesOnPrem(string model) => _routes.Any(r => r.Location == ProviderLocation.OnPrem && r.Serves(model));

    public ProviderRoute? Find(string name) => _routes.FirstOrDefault(r => r.Name == name);

    /// <summary>
    /// The providers a key of this classification may use for the model, in preference order
    /// (on-prem first). A sensitive key never gets a cloud provider: there is no setting for it.
    /// </summary>
    public IEnumerable<ProviderRoute> Candidates(string model, DataClassification classification) =>
        _routes
            .Where(r => r.Serves(model))
            .Where(r => classification == DataClassification.NonSensitive || r.Location == ProviderLocation.OnPrem)
            .OrderBy(r => r.Location == ProviderLocation.OnPrem ? 0 : 1);

    public IReadOnlyList<ProviderDescriptor> Describe() =>
        [.. _routes.Select(r => new ProviderDescriptor(r.Name, r.Options.Type, r.Location, [.. r.Options.Models]))];
}
