using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// Who is being called, for failure messages and limits: the adapter's kind (<c>Anthropic</c>),
/// the configured provider name, the call's time limit, the largest answer read from it, and how
/// to find the error type in the provider's error body.
/// </summary>
internal sealed record UpstreamTarget(string Kind, string ProviderName, int TimeoutSeconds, int MaxAnswerBytes, Func<JsonElement, string?> ErrorType)
{
    /// <summary>The target of a configured provider.</summary>
    public UpstreamTarget(string kind, string providerName, ProviderOptions options, Func<JsonElement, string?> errorType)
        : this(kind, providerName, options.TimeoutSeconds, options.MaxAnswerBytes, errorType)
    {
    }

    /// <summary>
    /// The most one server-sent event may hold: the reader's own cap, or the whole answer's when
    /// that is lower (one event of a stream is never larger than an answer may be).
    /// </summary>
    public int MaxEventBytes => Math.Min(ServerSentEventReader.MaxEventBytes, MaxAnswerBytes);
}
