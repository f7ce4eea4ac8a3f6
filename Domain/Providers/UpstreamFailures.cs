using System.Net;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// Builds the failures every adapter reports. Messages name the provider, the HTTP status and at
/// most the upstream's error <em>type</em> (an identifier such as <c>overloaded_error</c>): never
/// the upstream's message or body, which can echo prompts or credentials.
/// </summary>
public static class UpstreamFailures
{
    public const string UpstreamError = "upstream_error";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string UpstreamRateLimited = "upstream_rate_limited";

    /// <summary>The request cannot be expressed in the provider's protocol (the caller's fault).</summary>
    public const string InvalidRequest = "invalid_request";

    private const int MaxErrorBodyBytes = 64 * 1024;

    public static ProviderFailure FromStatus(string kind, string providerName, HttpStatusCode status, string? errorType)
    {
        var code = status switch
        {
            HttpStatusCode.TooManyRequests => UpstreamRateLimited,
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => UpstreamTimeout,
            _ => UpstreamError,
        };
        var type = SafeType(errorType);
        var message = type is null
            ? $"{kind} provider '{providerName}' returned HTTP {(int)status}."
            : $"{kind} provider '{providerName}' returned HTTP {(int)status} ({type}).";
        return new ProviderFailure(code, message);
    }

    /// <summary>An error the provider reported inside an otherwise successful stream.</summary>
    public static ProviderFailure InStream(string kind, string providerName, string? errorType, string code = UpstreamError)
    {
        var type = SafeType(errorType);
        var message = type is null
            ? $"{kind} provider '{providerName}' reported an error during the stream."
            : $"{kind} provider '{providerName}' reported an error during the stream ({type}).";
        return new ProviderFailure(code, message);
    }

    public static ProviderFailure Timeout(string kind, string providerName, int seconds) =>
        new(UpstreamTimeout, $"{kind} provider '{providerName}' did not answer within {seconds} s.");

    public static ProviderFailure Unreachable(string kind, string providerName) =>
        new(UpstreamError, $"{kind} provider '{providerName}' could not be reached.");

    public static ProviderFailure ConnectionLost(string kind, string providerName) =>
        new(UpstreamError, $"{kind} provider '{providerName}' closed the connection before the answer was complete.");

    public static ProviderFailure Malformed(string kind, string providerName) =>
        new(UpstreamError, $"{kind} provider '{providerName}' returned an answer that could not be read.");

    public static ProviderFailure Truncated(string kind, string providerName) =>
        new(UpstreamError, $"{kind} provider '{providerName}' ended the stream before the answer was complete.");

    public static ProviderFailure Invalid(string message) => new(InvalidRequest, message);

    /// <summary>
    /// Reads an error body (bounded) and returns the error type found by <paramref name="typeOf"/>,
    /// or null when the body is not the provider's JSON error shape.
    /// </summary>
    public static async Task<string?> ReadErrorTypeAsync(HttpContent content, Func<JsonElement, string?> typeOf, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length
                && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
            return typeOf(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException or OperationCanceledException)
        {
            // The status alone still makes a useful failure.
            return null;
        }
    }

    /// <summary>Only an identifier-like type is repeated to the client; anything else could be free text.</summary>
    public static string? SafeType(string? errorType)
    {
        if (string.IsNullOrEmpty(errorType) || errorType.Length > 64)
        {
            return null;
        }

        foreach (var c in errorType)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return null;
            }
        }

        return errorType;
    }
}
