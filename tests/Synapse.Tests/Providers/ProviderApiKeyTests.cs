using Microsoft.Extensions.Configuration;
using Synapse.Providers;
using Synapse.Routing;
using Xunit;

namespace Synapse.Tests.Providers;

/// <summary>
/// A cloud provider without its credential answers every call 401: refused at start, naming the
/// setting; a base URL that may be a local server (or a proxy that adds the key) needs none.
/// </summary>
public sealed class ProviderApiKeyTests
{
    [Theory]
    [InlineData("anthropic", null, "Anthropic's API")]
    [InlineData("anthropic", "https://api.anthropic.com", "Anthropic's API")]
    [InlineData("gemini", null, "Gemini's API")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta", "Gemini's API")]
    [InlineData("openai", "https://api.openai.com/v1", "OpenAI's API")]
    [InlineData("openai", "https://API.OpenAI.com/v1", "OpenAI's API")]
    [InlineData("azure-openai", "https://contoso.openai.azure.com", "Azure OpenAI")]
    [InlineData("azure-openai", "https://contoso.cognitiveservices.azure.com", "Azure OpenAI")]
    public void APublicApi_WithoutAnApiKey_IsRefusedNamingTheSetting(string type, string? baseUrl, string endpoint)
    {
        var problems = ProblemsOf(type, baseUrl, apiKey: null);

        Assert.Equal([$"Synapse:Providers:cloud:ApiKey is required: {endpoint} answers no call without one."], problems);
    }

    [Theory]
    [InlineData("openai", "http://localhost:8000/v1", null)]
    [InlineData("openai", "http://10.0.0.5:8000/v1", "")]
    [InlineData("openai", "https://api.openai.com.example.org/v1", null)]
    [InlineData("vllm", "http://127.0.0.1:8000/v1", null)]
    [InlineData("anthropic", "http://127.0.0.1:4000", null)]
    [InlineData("openai", "https://api.openai.com/v1", "sk-provider-credential")]
    [InlineData("anthropic", null, "sk-ant-credential")]
    [InlineData("gemini", null, "gemini-credential")]
    [InlineData("azure-openai", "https://contoso.openai.azure.com", "azure-credential")]
    [InlineData("azure-openai", "http://127.0.0.1:8080", null)]
    public void ALocalServerWithoutAKey_OrAPublicApiWithOne_IsValid(string type, string? baseUrl, string? apiKey)
    {
        Assert.Empty(ProblemsOf(type, baseUrl, apiKey));
    }

    private static List<string> ProblemsOf(string type, string? baseUrl, string? apiKey)
    {
        var options = new ProviderOptions
        {
            Type = type,
            BaseUrl = baseUrl is null ? null : new Uri(baseUrl),
            ApiKey = apiKey,
            Location = "cloud",
            Models = ["model-a"],
        };
        return [.. ProviderCatalog.Problems("cloud", options, new ConfigurationBuilder().Build())];
    }
}
