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

    /// <summary>The provider refused the request as invalid (its 400 or 422): the client's to fix, never retried elsewhere.</summary>
    public const string ProviderInvalidRequest = "provider_invalid_request";

    /// <summary>The provider refused the prompt as longer than the model's context: 413 to the client.</summary>
    public const string ContextTooLong = "context_length_exceeded";

    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>
    /// A provider's error answer. Its own refusals keep their class — 400 for an invalid request,
    /// 413 for too long a prompt, 429 for its rate limit with its <c>Retry-After</c> — and carry its
    /// error type, code and parameter; everything else (its credentials, its outages) is the
    /// gateway's bad gateway.
    /// </summary>
    internal static ProviderFailure FromResponse(string kind, string providerName, HttpStatusCode status, string? errorType, ProviderErrorDetails details, TimeSpan? retryAfter)
    {
        var failure = FromStatus(kind, providerName, status, errorType);
        if (status == HttpStatusCode.RequestEntityTooLarge || ((int)status is 400 or 422 && details.ContextTooLong))
        {
            return new ProviderFailure(ContextTooLong, failure.Message)
            {
                Status = 413,
                Type = details.Type ?? "invalid_request_error",
                ProviderCode = ContextTooLong,
                Param = details.Param,
            };
        }

        if ((int)status is 400 or 422)
        {
            return new ProviderFailure(ProviderInvalidRequest, failure.Message)
            {
                Status = 400,
                Type = details.Type ?? "invalid_request_error",
                ProviderCode = details.Code,
                Param = details.Param,
            };
        }

        return status == HttpStatusCode.TooManyRequests
            ? failure with
            {
                Status = 429,
                Type = details.Type ?? "rate_limit_error",
                ProviderCode = details.Code ?? "rate_limit_exceeded",
                RetryAfter = retryAfter ?? details.RetryDelay,
            }
            : failure;
    }

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

    /// <summary>A whole answer longer than the provider's <c>MaxAnswerBytes</c>; the rest is not read.</summary>
    public static ProviderFailure TooLarge(string kind, string providerName, int maxBytes) =>
        new(UpstreamError, $"{kind} provider '{providerName}' returned an answer larger than the gateway reads ({maxBytes} bytes).");

    /// <summary>A streamed event (or a line that never ends) longer than the stream's limit; the stream ends there.</summary>
    public static ProviderFailure EventTooLarge(string kind, string providerName, int maxBytes) =>
        new(UpstreamError, $"{kind} provider '{providerName}' sent a streamed event larger than the gateway reads ({maxBytes} bytes).");

    public static ProviderFailure Truncated(string kind, string providerName) =>
        new(UpstreamError, $"{kind} provider '{providerName}' ended the stream before the answer was complete.");

    public static ProviderFailure Invalid(string message) => new(InvalidRequest, message);

    /// <summary>
    /// Reads an error body (bounded): the error type found by <paramref name="typeOf"/> for the
    /// message (null when the body is not the provider's JSON error shape), and the identifiers the
    /// client is given.
    /// </summary>
    internal static async Task<(string? Type, ProviderErrorDetails Details)> ReadErrorAsync(HttpContent content, Func<JsonElement, string?> typeOf, CancellationToken cancellationToken)
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
            return (typeOf(document.RootElement), ProviderErrorDetails.Read(document.RootElement));
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException or OperationCanceledException)
        {
            // The status alone still makes a useful failure.
            return (null, ProviderErrorDetails.None);
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
