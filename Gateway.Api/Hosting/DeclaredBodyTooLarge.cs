using Microsoft.AspNetCore.Http.Features;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// A body whose declared length is over an endpoint's cap is refused (413) before it is read, while
/// the client is still sending it. Kestrel does not drain a body past the request's size limit, so
/// it closed the connection with the rest unread, the kernel reset it, and a client that sends its
/// whole body before reading (most do) got a broken pipe instead of the 413. Up to
/// <see cref="DrainLimit"/> bytes, the limit is raised to the declared length when refusing, so
/// Kestrel's end-of-request drain reads and drops the body (within its own time limit): the client
/// finishes sending, reads the refusal and keeps its connection. A larger body is cut off as before.
/// </summary>
internal static class DeclaredBodyTooLarge
{
    /// <summary>The largest refused body that is read to its end rather than cut off.</summary>
    public const long DrainLimit = 32 * 1024 * 1024;

    /// <summary>
    /// Call when refusing <paramref name="request"/> for its declared length, before anything reads
    /// its body; false when the body is too large to drain, and the connection should be closed.
    /// </summary>
    public static bool LetItDrain(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared <= DrainLimit
            && request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = declared;
            return true;
        }

        return false;
    }
}
