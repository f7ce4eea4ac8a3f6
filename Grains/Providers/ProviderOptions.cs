namespace Synapse.Grains.Providers;

/// <summary>One provider, bound from <c>Synapse:Providers:{name}</c>.</summary>
public sealed class ProviderOptions
{
    /// <summary><c>openai</c> (any OpenAI-compatible server), <c>vllm</c> or <c>ollama</c>.</summary>
    public string Type { get; set; } = ProviderTypes.OpenAi;

    /// <summary>The API root, for example <c>http://localhost:11434/v1</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent as the provider's credential; never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>on-prem</c> or <c>cloud</c>. Sensitive keys only ever reach <c>on-prem</c>.</summary>
    public string Location { get; set; } = "on-prem";

    /// <summary>The model names this provider serves.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>How long one call may take before it fails, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 300;
}
