using Microsoft.AspNetCore.Http.Features;

namespace Synapse.Gateway.Hosting;

/// <summary>
/// A body refused before it is read — for its declared length (413) or its type (415) — is still
/// on its way when the answer goes out. Kestrel does not drain a body past the request's size
/// limit, nor one whose answer says <c>Connection: close</c>: it closed with the rest unread, the
/// kernel reset the connection, and a client that sends its whole body before reading (most do)
/// got a broken pipe instead of the answer. Up to <see cref="DrainLimit"/> bytes of declared
/// length, the limit is raised to that length, so Kestrel's end-of-request drain reads and drops
/// the body (within its own time limit): the client finishes sending, reads the refusal and keeps
/// its connection. A larger body, or one of unknown length, is cut off as before.
/// </summary>
internal static class RefusedBody
{
    /// <summary>The largest refused body that is read to its end rather than cut off.</summary>
    public const long DrainLimit = 32 * 1024 * 1024;

    /// <summary>
    /// Call when refusing <paramref name="request"/> before anything reads its body; false when the
    /// body is too large to drain or of unknown length, and the connection should be closed.
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
