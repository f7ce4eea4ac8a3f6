using Microsoft.Net.Http.Headers;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// The one body type the gateway reads: <c>application/json</c> with no charset or UTF-8
/// (RFC 8259 §8.1 allows nothing else). Every reader parses UTF-8; a body declared in another
/// charset would be read as bytes it is not, so it is refused (415) rather than misread.
/// </summary>
internal static class JsonMediaType
{
    public static bool IsUtf8Json(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
}
