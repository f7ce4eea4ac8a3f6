using System.Text.Json;
using System.Text.Json.Serialization;
using Synapse.Binding;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Reads admin request bodies strictly (no duplicate or unknown properties) and turns every
/// parse failure into a problem-details answer that names the field.
/// </summary>
internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,

        // The web defaults read "10" as 10; a limit sent as text is the client's mistake, and
        // the API says so instead of guessing.
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(), new AdminInstant.JsonConverter() },
    };

    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (request.ContentType is { } contentType && !Hosting.JsonMediaType.IsUtf8Json(contentType))
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the body as application/json in UTF-8 (no other charset)."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value is null
                ? (null, Invalid("$", "The body must be a JSON object."))
                : (value, null);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusal while reading: the body outgrew the cap set by AdminRequestGuard
            // (413), or its framing was broken (400).
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : Results.Problem(statusCode: e.StatusCode, title: "The request body could not be read.", detail: e.Message));
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.');
            return (null, Invalid(field, Explain(e)));
        }
    }

    private static IResult TooLarge() =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"Admin requests may have at most {MaxBodyBytes} bytes.");

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    private static string Explain(JsonException e)
    {
        if (e is AdminInstant.RefusedException)
        {
            return e.Message;
        }

        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "This property is not part of the request.";
        }

        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "This value has the wrong type.";
        }

        return RequestJson.Describe(e);
    }
}
