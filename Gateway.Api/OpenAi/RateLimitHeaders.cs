using System.Globalization;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>OpenAI's rate-limit headers, so SDKs and clients can pace themselves.</summary>
internal static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitSnapshot? snapshot, TimeSpan? retryAfter = null)
    {
        if (snapshot is not null)
        {
            var headers = response.Headers;
            headers["x-ratelimit-limit-requests"] = snapshot.RequestLimit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-requests"] = snapshot.RequestsRemaining.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-requests"] = Duration(snapshot.RequestsReset);
            headers["x-ratelimit-limit-tokens"] = snapshot.TokenLimit.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-remaining-tokens"] = snapshot.TokensRemaining.ToString(CultureInfo.InvariantCulture);
            headers["x-ratelimit-reset-tokens"] = Duration(snapshot.TokensReset);
        }

        if (retryAfter is { } wait)
        {
            // Whole seconds, rounded up: a client that waits exactly this long finds room.
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>OpenAI's duration format: <c>1m0.5s</c>, <c>6ms</c>, <c>0s</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return ((int)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var minutes = (int)value.TotalMinutes;
        var seconds = Math.Round(value.TotalSeconds - (minutes * 60), 3);
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? $"{minutes}m{secondsText}" : secondsText;
    }
}
