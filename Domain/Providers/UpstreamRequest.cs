using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// Sends one upstream request and turns transport trouble and HTTP errors into failures: the HTTP
/// part every adapter shares, so each client only builds its URI, headers and body and picks its
/// translators.
/// </summary>
internal static class UpstreamRequest
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public static HttpRequestMessage Create(Uri uri, byte[] body) => new(HttpMethod.Post, uri)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
    };

    /// <summary><paramref name="baseUrl"/> without a trailing slash, followed by <paramref name="path"/>.</summary>
    public static Uri Combine(Uri baseUrl, string path) => new(baseUrl.AbsoluteUri.TrimEnd('/') + path, UriKind.Absolute);

    /// <summary>
    /// Sends a non-streamed request and returns the successful answer's body, or the failure (an
    /// answer over the target's <c>MaxAnswerBytes</c> is one, read no further). The caller's own
    /// cancellation still throws; the call's time limit becomes a failure.
    /// </summary>
    public static async Task<(byte[]? Body, ProviderFailure? Failure)> ExchangeAsync(
        HttpClient httpClient, HttpRequestMessage request, UpstreamTarget target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(target.TimeoutSeconds));
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, await ErrorAsync(response, target, timeout.Token).ConfigureAwait(false));
            }

            var body = await AnswerBody.ReadAsync(response.Content, target.MaxAnswerBytes, timeout.Token).ConfigureAwait(false);
            return body is null ? (null, UpstreamFailures.TooLarge(target.MaxAnswerBytes)) : (body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, UpstreamFailures.Timeout(target.TimeoutSeconds));
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError || ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return (null, UpstreamFailures.Unreachable);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, UpstreamFailures.ConnectionLost);
        }
    }

    /// <summary>
    /// Sends a streamed request and yields the translated chunks; any failure is the last event.
    /// </summary>
    public static async IAsyncEnumerable<StreamEvent> StreamAsync(
        HttpClient httpClient, HttpRequestMessage request, UpstreamTarget target, IUpstreamStream translation,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(target.TimeoutSeconds));
        request.Headers.Accept.Add(EventStream);
        var (response, failure) = await OpenStreamAsync(httpClient, request, target, timeout.Token, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using var ownedResponse = response;
        await using var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), target.MaxEventBytes);
        var chunks = new List<byte[]>(2);
        while (!translation.IsComplete)
        {
            var (serverSentEvent, readFailure) = await ReadEventAsync(reader, target, timeout.Token, cancellationToken).ConfigureAwait(false);
            if (readFailure is not null)
            {
                yield return new StreamEvent(null, readFailure);
                yield break;
            }

            if (serverSentEvent is null)
            {
                break;
            }

            failure = translation.Translate(serverSentEvent.Value, chunks);
            foreach (var chunk in chunks)
            {
                yield return new StreamEvent(chunk, null);
            }

            chunks.Clear();
            if (failure is not null)
            {
                yield return new StreamEvent(null, failure);
                yield break;
            }
        }

        failure = translation.Complete(chunks);
        foreach (var chunk in chunks)
        {
            yield return new StreamEvent(chunk, null);
        }

        if (failure is not null)
        {
            yield return new StreamEvent(null, failure);
        }
    }

    private static async Task<(HttpResponseMessage? Response, ProviderFailure? Failure)> OpenStreamAsync(
        HttpClient httpClient, HttpRequestMessage request, UpstreamTarget target, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (response, null);
            }

            using (response)
            {
                return (null, await ErrorAsync(response, target, timeoutToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            response?.Dispose();
            return (null, UpstreamFailures.Timeout(target.TimeoutSeconds));
        }
        catch (HttpRequestException)
        {
            return (null, UpstreamFailures.Unreachable);
        }
    }

    private static async Task<(ServerSentEvent? Event, ProviderFailure? Failure)> ReadEventAsync(
        ServerSentEventReader reader, UpstreamTarget target, CancellationToken timeoutToken, CancellationToken callerToken)
    {
        try
        {
            return (await reader.ReadAsync(timeoutToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (null, UpstreamFailures.Timeout(target.TimeoutSeconds));
        }
        catch (EventTooLargeException)
        {
            return (null, UpstreamFailures.EventTooLarge(target.MaxEventBytes));
        }
        catch (InvalidDataException)
        {
            return (null, UpstreamFailures.Malformed);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, UpstreamFailures.ConnectionLost);
        }
    }

    private static async Task<ProviderFailure> ErrorAsync(HttpResponseMessage response, UpstreamTarget target, CancellationToken cancellationToken)
    {
        var (type, details) = await UpstreamFailures.ReadErrorAsync(response.Content, target.ErrorType, cancellationToken).ConfigureAwait(false);
        return UpstreamFailures.FromResponse(response.StatusCode, type, details, ProviderOutcomes.RetryAfter(response));
    }
}
