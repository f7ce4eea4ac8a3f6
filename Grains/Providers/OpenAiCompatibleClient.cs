using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Providers;

/// <summary>
/// OpenAI's own API and every server that speaks it (vLLM, Ollama's <c>/v1</c>, LM Studio…):
/// bodies and chunks pass through untouched.
/// </summary>
internal sealed class OpenAiCompatibleClient(string providerName, ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public async Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        try
        {
            using var request = CreateRequest(call);
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new ProviderReply(null, ProviderFailures.FromStatus(providerName, response.StatusCode));
            }

            return new ProviderReply(await response.Content.ReadAsByteArrayAsync(cancellationToken), null);
        }
        catch (Exception e) when (ProviderFailures.FromException(providerName, e, cancellationToken) is { } failure)
        {
            return new ProviderReply(null, failure);
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = CreateRequest(call);
        HttpResponseMessage? response = null;
        ProviderFailure? failure = null;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failure = ProviderFailures.FromStatus(providerName, response.StatusCode);
            }
        }
        catch (Exception e) when (ProviderFailures.FromException(providerName, e, cancellationToken) is { } mapped)
        {
            failure = mapped;
        }

        using (response)
        {
            if (failure is not null || response is null)
            {
                yield return new StreamEvent(null, failure ?? ProviderFailures.Unreachable(providerName));
                yield break;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var events = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                var moved = false;
                try
                {
                    moved = await events.MoveNextAsync();
                }
                catch (Exception e) when (ProviderFailures.FromException(providerName, e, cancellationToken) is not null)
                {
                    failure = ProviderFailures.BrokenStream(providerName);
                }

                if (failure is not null)
                {
                    yield return new StreamEvent(null, failure);
                    yield break;
                }

                if (!moved || events.Current.Data.AsSpan().Trim() is "[DONE]")
                {
                    yield break;
                }

                if (events.Current.Data.Length > 0)
                {
                    yield return new StreamEvent(Encoding.UTF8.GetBytes(events.Current.Data), null);
                }
            }
        }
    }

    private HttpRequestMessage CreateRequest(ProviderCall call)
    {
        var path = call.Operation == RequestOperation.Embeddings ? "embeddings" : "chat/completions";
        var request = new HttpRequestMessage(HttpMethod.Post, ProviderUris.Combine(options.BaseUrl!, path))
        {
            Content = new ByteArrayContent(call.Body) { Headers = { ContentType = JsonContentType } },
        };
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        if (call.Stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }
}
