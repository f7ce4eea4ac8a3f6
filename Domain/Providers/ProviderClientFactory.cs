using Synapse.Routing;

namespace Synapse.Providers;

/// <summary>Creates the client that speaks a configured provider's protocol.</summary>
public sealed class ProviderClientFactory(ProviderCatalog catalog, IHttpClientFactory httpClientFactory)
{
    public IProviderClient Create(string providerName)
    {
        var route = catalog.Find(providerName) ?? throw new InvalidOperationException($"No provider is configured under the name '{providerName}'.");

        // IHttpClientFactory pools the handlers; a client object per call is the intended use.
        // Each adapter enforces the provider's TimeoutSeconds over the whole call itself.
        var http = httpClientFactory.CreateClient(ProviderHttpClients.ClientName(route.Name));
        http.Timeout = Timeout.InfiniteTimeSpan;
        return route.Options.Type switch
        {
            ProviderTypes.OpenAi or ProviderTypes.Vllm or ProviderTypes.Ollama => new OpenAiCompatibleClient(route.Options, http),
            ProviderTypes.AzureOpenAi => new AzureOpenAi.AzureOpenAiClient(route.Options, http),
            ProviderTypes.Anthropic => new Anthropic.AnthropicClient(route.Options, http),
            ProviderTypes.Gemini => new Gemini.GeminiClient(route.Options, http),
            _ => throw new InvalidOperationException($"The provider type '{route.Options.Type}' has no client."),
        };
    }
}
