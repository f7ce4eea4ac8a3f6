using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synapse.Providers;

/// <summary>
/// The identifiers of a provider's error body — OpenAI's <c>{"error":{"type","code","param"}}</c>,
/// Anthropic's <c>{"error":{"type"}}</c>, Google's <c>{"error":{"status","details"}}</c>, vLLM's flat
/// <c>{"object":"error","type","message"}</c> — and
/// whether its message says the prompt was too long. The message itself is read for that one
/// fact and never kept: it can quote the prompt.
/// </summary>
internal sealed partial record ProviderErrorDetails(string? Type, string? Code, string? Param, bool ContextTooLong, TimeSpan? RetryDelay)
{
    public static readonly ProviderErrorDetails None = new(null, null, null, false, null);

    public static ProviderErrorDetails Read(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0)
        {
            body = body[0];
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        // vLLM's older servers answer the error object's fields at the top level.
        var error = body.TryGetProperty("error"u8, out var wrapped) && wrapped.ValueKind == JsonValueKind.Object ? wrapped : body;

        var type = String(error, "type"u8) ?? String(error, "status"u8);
        var code = String(error, "code"u8);
        var param = String(error, "param"u8);
        var message = String(error, "message"u8);
        var tooLong = code is "context_length_exceeded" or "string_above_max_length"
            || (message is not null && ContextLengthMessage().IsMatch(message));
        return new ProviderErrorDetails(
            UpstreamFailures.SafeType(type),
            UpstreamFailures.SafeType(code),
            SafeParam(param),
            tooLong,
            ReadRetryDelay(error));
    }

    /// <summary>Google's <c>RetryInfo</c> detail (<c>"retryDelay":"37s"</c>), when the error carries one.</summary>
    private static TimeSpan? ReadRetryDelay(JsonElement error)
    {
        if (!error.TryGetProperty("details"u8, out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind == JsonValueKind.Object && String(detail, "retryDelay"u8) is { } delay
                && delay.EndsWith('s') && double.TryParse(delay[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
            }
        }

        return null;
    }

    private static string? String(JsonElement obj, ReadOnlySpan<byte> name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A parameter path such as <c>messages[0].content</c>: identifier characters, dots and brackets only.</summary>
    private static string? SafeParam(string? param)
    {
        if (string.IsNullOrEmpty(param) || param.Length > 64)
        {
            return null;
        }

        foreach (var c in param)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '[' or ']'))
            {
                return null;
            }
        }

        return param;
    }

    /// <summary>How OpenAI, vLLM, Anthropic and Gemini word a prompt that does not fit the model.</summary>
    [GeneratedRegex(@"context (length|window)|maximum context|prompt is too long|input is too long|too many (input )?tokens|exceeds the maximum number of tokens|input token count", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex ContextLengthMessage();
}
