using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Reads a <c>/v1</c> request body, refusing — with a 4xx in OpenAI's shape, never an exception —
/// every way a body can be wrong before it is parsed: not JSON by its content type or compressed (415), larger
/// than the limit (413, before reading when the length is declared), malformed chunked framing or
/// a body shorter than its declared length (400), too slow (408).
/// </summary>
internal static class RequestBodyReader
{
    public static readonly OpenAiError UnsupportedMediaType = new(
        StatusCodes.Status415UnsupportedMediaType,
        "Send the request body as JSON with 'Content-Type: application/json' (UTF-8).",
        OpenAiError.InvalidRequestType,
        "unsupported_media_type");

    public static readonly OpenAiError Compressed = new(
        StatusCodes.Status415UnsupportedMediaType,
        "Send the request body uncompressed: the gateway does not read a 'Content-Encoding'.",
        OpenAiError.InvalidRequestType,
        "unsupported_media_type");

    public static readonly OpenAiError MalformedFraming = OpenAiError.BadRequest(
        "The request body is malformed: its chunked encoding is invalid or it ended before its declared length.");

    public static readonly OpenAiError TooSlow = new(
        StatusCodes.Status408RequestTimeout,
        "The request body arrived too slowly; send it at once.",
        OpenAiError.InvalidRequestType,
        "request_timeout");

    /// <summary>Bodies of a declared length up to this are read into an array of that length at once.</summary>
    private const int ExactReadLimit = 64 * 1024;

    public static readonly OpenAiError Empty = OpenAiError.BadRequest("The request body is empty; send a JSON object.");

    public static async Task<BodyRead> ReadAsync(HttpRequest request, long maxBytes, TimeSpan timeout)
    {
        if (!Hosting.JsonMediaType.IsUtf8Json(request.ContentType))
        {
            return BodyRead.Refused(UnsupportedMediaType) with { Drains = Hosting.RefusedBody.LetItDrain(request) };
        }

        if (Hosting.ContentCoding.IsCompressed(request))
        {
            return BodyRead.Refused(Compressed) with { Drains = Hosting.RefusedBody.LetItDrain(request) };
        }

        if (request.ContentLength > maxBytes)
        {
            return BodyRead.Refused(TooLarge(maxBytes)) with { Drains = Hosting.RefusedBody.LetItDrain(request) };
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        var aborted = request.HttpContext.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            if (request.ContentLength is > 0 and <= ExactReadLimit and var declared)
            {
                // The usual case: a small body of declared length is read straight into its own
                // array, with no growing buffer and no copy.
                var body = new byte[declared];
                var filled = 0;
                int read;
                while (filled < body.Length && (read = await request.Body.ReadAsync(body.AsMemory(filled), deadline.Token)) > 0)
                {
                    filled += read;
                }

                // Shorter or longer than declared: the framing is wrong (Kestrel itself reports the
                // usual case, a body cut short, as a BadHttpRequestException).
                return filled < body.Length || await request.Body.ReadAsync(chunk.AsMemory(0, 1), deadline.Token) > 0
                    ? BodyRead.Refused(MalformedFraming)
                    : BodyRead.Of(body);
            }

            // Larger or undeclared: the buffer grows with what arrives, so a declared length alone
            // (with no bytes behind it) reserves no memory.
            using var buffer = new MemoryStream(request.ContentLength is > 0 ? ExactReadLimit : 4096);
            int length;
            while ((length = await request.Body.ReadAsync(chunk, deadline.Token)) > 0)
            {
                if (buffer.Length + length > maxBytes)
                {
                    return BodyRead.Refused(TooLarge(maxBytes));
                }

                buffer.Write(chunk, 0, length);
            }

            return buffer.Length == 0 ? BodyRead.Refused(Empty) : BodyRead.Of(buffer.ToArray());
        }
        catch (BadHttpRequestException e)
        {
            return BodyRead.Refused(e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => TooLarge(maxBytes),
                StatusCodes.Status408RequestTimeout => TooSlow,
                _ => MalformedFraming,
            });
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return BodyRead.Refused(TooSlow);
        }
        catch (IOException) when (!aborted.IsCancellationRequested)
        {
            // Kestrel reports some framing errors (a chunk size that overflows) as a plain IOException.
            return BodyRead.Refused(MalformedFraming);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return BodyRead.Gone();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static OpenAiError TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the gateway's limit of {maxBytes} bytes.", OpenAiError.InvalidRequestType, "request_too_large");
}
