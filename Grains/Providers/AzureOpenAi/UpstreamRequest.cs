using System.Net.Http.Headers;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Providers.AzureOpenAi;

/// <summary>
/// Sends one upstream request and turns transport trouble into failures: the HTTP part every
/// adapter shares, so each client only builds its URI, headers and body.
/// </summary>
internal static class UpstreamRequest
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpRequestMessage Create(Uri uri, byte[] body) => new(HttpMethod.Post, uri)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
    };

    /// <summary>
    /// Sends and returns the response once its headers arrive; a failure when the provider could
    /// not be reached or did not answer in time. The caller's own cancellation still throws.
    /// </summary>
    public static async Task<(HttpResponseMessage? Response, ProviderFailure? Failure)> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, string kind, string providerName, int timeoutSeconds,
        CancellationToken timeoutToken, CancellationToken callerToken)
    {
        try
        {
            var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutToken).ConfigureAwait(false);
            return (response, null);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (null, UpstreamFailures.Timeout(kind, providerName, timeoutSeconds));
        }
        catch (HttpRequestException)
        {
            return (null, UpstreamFailures.Unreachable(kind, providerName));
        }
    }

    /// <summary>Reads a successful response's whole body, or a failure when it breaks off or times out.</summary>
    public static async Task<(byte[]? Body, ProviderFailure? Failure)> ReadBodyAsync(
        HttpResponseMessage response, string kind, string providerName, int timeoutSeconds,
        CancellationToken timeoutToken, CancellationToken callerToken)
    {
        try
        {
            return (await response.Content.ReadAsByteArrayAsync(timeoutToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (null, UpstreamFailures.Timeout(kind, providerName, timeoutSeconds));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, UpstreamFailures.ConnectionLost(kind, providerName));
        }
    }

    /// <summary>The next event of a stream, or a failure when the connection breaks or times out.</summary>
    public static async Task<(ServerSentEvent? Event, ProviderFailure? Failure)> ReadEventAsync(
        ServerSentEventReader reader, string kind, string providerName, int timeoutSeconds,
        CancellationToken timeoutToken, CancellationToken callerToken)
    {
        try
        {
            return (await reader.ReadAsync(timeoutToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (null, UpstreamFailures.Timeout(kind, providerName, timeoutSeconds));
        }
        catch (InvalidDataException)
        {
            return (null, UpstreamFailures.Malformed(kind, providerName));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, UpstreamFailures.ConnectionLost(kind, providerName));
        }
    }

    /// <summary><paramref name="baseUrl"/> without a trailing slash, followed by <paramref name="path"/>.</summary>
    public static Uri Combine(Uri baseUrl, string path)
    {
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri(root + path, UriKind.Absolute);
    }
}
