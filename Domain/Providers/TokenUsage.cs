
namespace Synapse.Providers;

/// <summary>Token counts a provider reported for one request.</summary>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens);
