using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// Who is being called, for failure messages and time limits: the adapter's kind (<c>Anthropic</c>),
/// the configured provider name, the call's time limit, and how to find the error type in the
/// provider's error body.
/// </summary>
internal sealed record UpstreamTarget(string Kind, string ProviderName, int TimeoutSeconds, Func<JsonElement, string?> ErrorType);
