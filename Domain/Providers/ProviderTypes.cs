
namespace Synapse.Providers;

/// <summary>The provider types understood by <see cref="ProviderOptions.Type"/>.</summary>
public static class ProviderTypes
{
    public const string OpenAi = "openai";
    public const string Vllm = "vllm";
    public const string Ollama = "ollama";
    public const string Anthropic = "anthropic";
    public const string Gemini = "gemini";
    public const string AzureOpenAi = "azure-openai";
}
