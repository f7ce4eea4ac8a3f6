using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// The limits of a provider's calls — the call's time limit, the largest answer read from it — and
/// how to find the error type in the provider's error body.
/// </summary>
internal sealed record UpstreamTarget(int TimeoutSeconds, int MaxAnswerBytes, Func<JsonElement, string?> ErrorType)
{
    /// <summary>The target of a configured provider.</summary>
    public UpstreamTarget(ProviderOptions options, Func<JsonElement, string?> errorType)
        : this(options.TimeoutSeconds, options.MaxAnswerBytes, errorType)
    {
    }

    /// <summary>
    /// The most one server-sent event may hold: the reader's own cap, or the whole answer's when
    /// that is lower (one event of a stream is never larger than an answer may be).
    /// </summary>
    public int MaxEventBytes => Math.Min(ServerSentEventReader.MaxEventBytes, MaxAnswerBytes);
}
