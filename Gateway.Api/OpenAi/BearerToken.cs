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

    /// <summary>
    /// The key of a key header (Anthropic's <c>x-api-key</c>, Azure's <c>api-key</c>), else of
    /// <c>Authorization: Bearer</c>. Two keys, or a key in both headers, are not guessed between: null.
    /// </summary>
    public static string? ReadOr(HttpRequest request, string keyHeader)
    {
        var header = request.Headers[keyHeader];
        if (header.Count == 0)
        {
            return Read(request);
        }

        return header.Count == 1 && request.Headers.Authorization.Count == 0 && header[0] is { Length: > 0 } key ? key.Trim() : null;
    }
}
