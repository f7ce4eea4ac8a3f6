
namespace Synapse.Providers;

/// <summary>One provider, bound from <c>Synapse:Providers:{name}</c>.</summary>
public sealed class ProviderOptions
{
    /// <summary><c>openai</c> (any OpenAI-compatible server), <c>vllm</c> or <c>ollama</c>.</summary>
    public string Type { get; set; } = ProviderTypes.OpenAi;

    /// <summary>The API root, for example <c>http://localhost:11434/v1</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent as the provider's credential; never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>on-prem</c> or <c>cloud</c>, required: sensitive keys only ever reach <c>on-prem</c>, so
    /// where a provider runs is never guessed (a default of <c>on-prem</c> made a cloud provider
    /// configured without it a route for sensitive data).
    /// </summary>
    public string? Location { get; set; }

    /// <summary>The model names this provider serves.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>How long one call may take before it fails, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// The largest non-streamed answer read from this provider, in bytes; a streamed event may hold
    /// at most 16 MiB, or this when it is lower. A provider's answer is held in memory whole, so
    /// without a cap one answer of a few gigabytes ends the process.
    /// </summary>
    public int MaxAnswerBytes { get; set; } = DefaultMaxAnswerBytes;

    public const int DefaultMaxAnswerBytes = 32 * 1024 * 1024;

    /// <summary>The highest <see cref="MaxAnswerBytes"/> the start accepts (as <c>Synapse:MaxRequestBytes</c>).</summary>
    public const int MaxAnswerBytesLimit = 1024 * 1024 * 1024;

    /// <summary>
    /// <c>azure-openai</c> only: the <c>api-version</c> query parameter (the newest GA data-plane
    /// version for the deployments routes).
    /// </summary>
    public string ApiVersion { get; set; } = "2024-10-21";

    /// <summary>
    /// <c>azure-openai</c> only: model name to deployment name, bound from
    /// <c>Synapse:Providers:{name}:Deployments:{model}</c>. A model missing here is sent to the
    /// deployment of the same name.
    /// </summary>
    public Dictionary<string, string> Deployments { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>anthropic</c> only: the <c>anthropic-version</c> header.</summary>
    public string AnthropicVersion { get; set; } = "2023-06-01";

    /// <summary>
    /// <c>anthropic</c> only: <c>max_tokens</c> when the request sets neither <c>max_tokens</c> nor
    /// <c>max_completion_tokens</c> (Anthropic requires it).
    /// </summary>
    public int DefaultMaxTokens { get; set; } = 4096;
}
