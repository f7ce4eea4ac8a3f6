using System.Net;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// Builds the failures every adapter reports. Messages say what went wrong — the HTTP status and at
/// most the upstream's error <em>type</em> (an identifier such as <c>overloaded_error</c>) — never
/// the upstream's message or body, which can echo prompts or credentials, and never which provider
/// it was: its configured name, type and host are the operator's topology, not the client's to
/// learn. The operator finds the provider in the audit row and in <see cref="Synapse.Requests.FailoverCaller"/>'s log line.
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
    internal static ProviderFailure FromResponse(HttpStatusCode status, string? errorType, ProviderErrorDetails details, TimeSpan? retryAfter)
    {
        var failure = FromStatus(status, errorType);
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
                RetryAfter = Capped(retryAfter ?? details.RetryDelay),
            }
            : failure;
    }

    /// <summary>
    /// The longest wait a provider's 429 is relayed with. A provider's word is passed on, not
    /// obeyed: <c>Retry-After: 99999999</c> would park every client that honours it for three years.
    /// </summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    private static TimeSpan? Capped(TimeSpan? retryAfter) =>
        retryAfter is { } wait ? (wait > MaxRetryAfter ? MaxRetryAfter : wait < TimeSpan.Zero ? TimeSpan.Zero : wait) : null;

    public static ProviderFailure FromStatus(HttpStatusCode status, string? errorType)
    {
        var code = status switch
        {
            HttpStatusCode.TooManyRequests => UpstreamRateLimited,
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => UpstreamTimeout,
            _ => UpstreamError,
        };
        var type = SafeType(errorType);
        var message = type is null
            ? $"The provider returned HTTP {(int)status}."
            : $"The provider returned HTTP {(int)status} ({type}).";
        return new ProviderFailure(code, message);
    }

    /// <summary>An error the provider reported inside an otherwise successful stream.</summary>
    public static ProviderFailure InStream(string? errorType, string code = UpstreamError)
    {
        var type = SafeType(errorType);
        var message = type is null
            ? "The provider reported an error during the stream."
            : $"The provider reported an error during the stream ({type}).";
        return new ProviderFailure(code, message);
    }

    public static ProviderFailure Timeout(int seconds) =>
        new(UpstreamTimeout, $"The provider did not answer within {seconds} s.");

    public static ProviderFailure Unreachable { get; } =
        new(UpstreamError, "The provider could not be reached.");

    public static ProviderFailure ConnectionLost { get; } =
        new(UpstreamError, "The provider closed the connection before the answer was complete.");

    public static ProviderFailure Malformed { get; } =
        new(UpstreamError, "The provider returned an answer that could not be read.");

    /// <summary>A whole answer longer than the provider's <c>MaxAnswerBytes</c>; the rest is not read.</summary>
    public static ProviderFailure TooLarge(int maxBytes) =>
        new(UpstreamError, $"The provider returned an answer larger than the gateway reads ({maxBytes} bytes).");

    /// <summary>A streamed event (or a line that never ends) longer than the stream's limit; the stream ends there.</summary>
    public static ProviderFailure EventTooLarge(int maxBytes) =>
        new(UpstreamError, $"The provider sent a streamed event larger than the gateway reads ({maxBytes} bytes).");

    public static ProviderFailure Truncated { get; } =
        new(UpstreamError, "The provider ended the stream before the answer was complete.");

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
