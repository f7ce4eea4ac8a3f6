namespace Synapse.Gateway.OpenAi;

internal static class BearerToken
{
    /// <summary>The token of an <c>Authorization: Bearer</c> header, as OpenAI's SDKs send it.</summary>
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsSpan("Bearer ".Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }
}
