using System.Text.Json;

namespace Synapse.Gateway.OpenAi;

/// <summary>An error in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(int Status, string Message, string Type, string? Code, string? Param = null)
{
    public const string InvalidRequestType = "invalid_request_error";
    public const string ApiErrorType = "api_error";

    /// <summary>
    /// One pre-built body for every unknown, malformed or revoked key, so the answers are
    /// byte-identical and say nothing about which it was.
    /// </summary>
    public static readonly OpenAiError InvalidApiKey = new(
        StatusCodes.Status401Unauthorized,
        "Invalid API key. Send a Synapse key as 'Authorization: Bearer <key>'.",
        InvalidRequestType,
        "invalid_api_key");

    private static readonly byte[] InvalidApiKeyBody = Serialize(InvalidApiKey);

    /// <summary>Sent as <c>Retry-After</c> (whole seconds, rounded up): a provider's own rate limit passed on.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static OpenAiError BadRequest(string message, string? param = null) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequestType, "invalid_request_error", param);

    public byte[] ToUtf8() => ReferenceEquals(this, InvalidApiKey) ? InvalidApiKeyBody : Serialize(this);

    /// <summary>The <c>Retry-After</c> of a 503 that did not set its own.</summary>
    public const int DefaultRetryAfterSeconds = 2;

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        if (Status == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
        {
            // Every 503 is temporary (the cluster, the audit log): say when to come back.
            response.Headers.RetryAfter = DefaultRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        if (RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(ToUtf8());
    }

    public IResult ToResult() => new OpenAiErrorResult(this);

    private static byte[] Serialize(OpenAiError error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", error.Message);
            writer.WriteString("type", error.Type);
            WriteNullable(writer, "param", error.Param);
            WriteNullable(writer, "code", error.Code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
