using Microsoft.AspNetCore.Http.Features;

namespace Synapse.Gateway.OpenAi;

/// <summary>Reads a request body up to a limit, refusing larger ones before reading them.</summary>
internal static class RequestBodyReader
{
    public static async Task<(byte[]? Body, OpenAiError? Error)> ReadAsync(HttpRequest request, long maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }

        return buffer.Length == 0
            ? (null, OpenAiError.BadRequest("The request body is empty; send a JSON object."))
            : (buffer.ToArray(), null);
    }

    private static OpenAiError TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the gateway's limit of {maxBytes} bytes.", OpenAiError.InvalidRequestType, "request_too_large");
}
