using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers.AzureOpenAi;

/// <summary>
/// Azure OpenAI's deployments API
/// (<c>{BaseUrl}/openai/deployments/{deployment}/chat/completions?api-version=…</c> and
/// <c>/embeddings</c>), keyed by the <c>api-key</c> header. The wire format is OpenAI's, so bodies
/// and chunks pass through; only the route and the credential differ.
/// </summary>
internal sealed class AzureOpenAiClient(ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private readonly UpstreamTarget _target = new(options, OpenAiErrorBody.ErrorType);

    public async Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(call, out var request, out var failure))
        {
            return new ProviderReply(null, failure);
        }

        using (request)
        {
            var (body, sendFailure) = await UpstreamRequest.ExchangeAsync(httpClient, request, _target, cancellationToken);
            if (body is null)
            {
                return new ProviderReply(null, sendFailure);
            }

            return OpenAiChunkStream.Inspect(body) == OpenAiChunkStream.Shape.Chunk
                ? new ProviderReply(body, null)
                : new ProviderReply(null, UpstreamFailures.Malformed);
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(call, out var request, out var failure))
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using var ownedRequest = request;
        await foreach (var evt in UpstreamRequest.StreamAsync(httpClient, request, _target, new OpenAiChunkStream(), cancellationToken))
        {
            yield return evt;
        }
    }

    private bool TryCreateRequest(ProviderCall call, out HttpRequestMessage request, out ProviderFailure? failure)
    {
        request = null!;
        if (options.BaseUrl is null)
        {
            // The catalog refuses this at start; were it ever reached, it is the gateway's fault, not the request's.
            failure = new ProviderFailure(UpstreamFailures.UpstreamError, "The provider has no address configured.");
            return false;
        }

        var operation = call.Operation switch
        {
            RequestOperation.ChatCompletions => "/chat/completions",
            RequestOperation.Embeddings => "/embeddings",
            _ => null,
        };
        if (operation is null)
        {
            failure = ModelRefusals.Operation(call.Operation);
            return false;
        }

        var model = OpenAiErrorBody.ReadModel(call.Body) ?? call.Model;
        var deployment = options.Deployments.TryGetValue(model, out var mapped) ? mapped : model;
        var uri = UpstreamRequest.Combine(
            options.BaseUrl,
            "/openai/deployments/" + Uri.EscapeDataString(deployment) + operation + "?api-version=" + Uri.EscapeDataString(options.ApiVersion));
        var body = call.Operation == RequestOperation.Embeddings ? call.Body : ProviderFieldFilter.For(ProviderTypes.AzureOpenAi, call.Body);
        request = UpstreamRequest.Create(uri, body);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("api-key", options.ApiKey);
        }

        failure = null;
        return true;
    }
}
