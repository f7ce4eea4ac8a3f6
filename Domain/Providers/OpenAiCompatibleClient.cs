using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers;

/// <summary>
/// OpenAI's own API and every server that speaks it (vLLM, Ollama's <c>/v1</c>, LM Studio…):
/// <c>{BaseUrl}/chat/completions</c> and <c>/embeddings</c> with a bearer credential. Bodies and
/// chunks pass through, checked but untouched.
/// </summary>
internal sealed class OpenAiCompatibleClient(ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private readonly UpstreamTarget _target = new(options, OpenAiErrorBody.ErrorType);

    public async Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(call);
        var (body, failure) = await UpstreamRequest.ExchangeAsync(httpClient, request, _target, cancellationToken);
        if (body is null)
        {
            return new ProviderReply(null, failure);
        }

        return OpenAiChunkStream.Inspect(body) == OpenAiChunkStream.Shape.Chunk
            ? new ProviderReply(body, null)
            : new ProviderReply(null, UpstreamFailures.Malformed);
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = CreateRequest(call);
        await foreach (var item in UpstreamRequest.StreamAsync(httpClient, request, _target, new OpenAiChunkStream(), cancellationToken))
        {
            yield return item;
        }
    }

    private HttpRequestMessage CreateRequest(ProviderCall call)
    {
        var path = call.Operation == RequestOperation.Embeddings ? "/embeddings" : "/chat/completions";
        var body = call.Operation == RequestOperation.Embeddings ? call.Body : ProviderFieldFilter.For(options.Type, call.Body);
        var request = UpstreamRequest.Create(UpstreamRequest.Combine(options.BaseUrl!, path), body);
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        return request;
    }
}
