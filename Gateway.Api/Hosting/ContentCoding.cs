namespace Synapse.Gateway.Hosting;

/// <summary>
/// Request bodies are read as sent: a body with a content coding (<c>gzip</c>, <c>br</c>, …) would
/// otherwise be parsed as its compressed bytes and refused as broken JSON, which misleads the
/// client. RFC 9110 (8.4) answers such a body with 415, which is what its callers do. Not
/// decompressed on purpose: the size limits hold on what arrives, and there is no
/// decompression bomb to defend against.
/// </summary>
internal static class ContentCoding
{
    /// <summary>True when the request names a content coding other than <c>identity</c>.</summary>
    public static bool IsCompressed(HttpRequest request)
    {
        foreach (var header in request.Headers.ContentEncoding)
        {
            foreach (var coding in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
