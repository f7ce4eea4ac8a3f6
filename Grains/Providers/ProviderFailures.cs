using System.Net;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Providers;

/// <summary>
/// Client-safe descriptions of provider failures. They name the provider and the HTTP status,
/// never the provider's own error text, which can echo credentials or prompt fragments.
/// </summary>
public static class ProviderFailures
{
    public const string UpstreamError = "upstream_error";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string UpstreamRateLimited = "upstream_rate_limited";

    public static ProviderFailure FromStatus(string provider, HttpStatusCode status) => status == HttpStatusCode.TooManyRequests
        ? new(UpstreamRateLimited, $"The provider '{provider}' is rate limiting requests (HTTP 429).")
        : new(UpstreamError, $"The provider '{provider}' answered HTTP {(int)status}.");

    public static ProviderFailure Unreachable(string provider) =>
        new(UpstreamError, $"The provider '{provider}' could not be reached.");

    public static ProviderFailure TimedOut(string provider) =>
        new(UpstreamTimeout, $"The provider '{provider}' did not answer in time.");

    public static ProviderFailure BrokenStream(string provider) =>
        new(UpstreamError, $"The provider '{provider}' ended the stream with an error.");

    public static ProviderFailure Unsupported(string provider, string what) =>
        new(UpstreamError, $"The provider '{provider}' does not support {what}.");

    /// <summary>Maps the exceptions an HTTP call can end with to a failure, or null if it is not one of them.</summary>
    public static ProviderFailure? FromException(string provider, Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => TimedOut(provider),
        HttpRequestException or IOException => Unreachable(provider),
        _ => null,
    };
}
