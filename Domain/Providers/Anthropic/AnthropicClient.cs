using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST {BaseUrl}/v1/messages</c>, default base
/// <c>https://api.anthropic.com</c>). Translation lives in the translator classes; this class only
/// builds the request and picks them.
/// </summary>
internal sealed class AnthropicClient(string providerName, ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com");

    private readonly Uri _messagesUri = UpstreamRequest.Combine(options.BaseUrl ?? DefaultBaseUrl, "/v1/messages");
    private readonly UpstreamTarget _target = new("Anthropic", providerName, options.TimeoutSeconds, AnthropicResponseTranslator.ErrorType);

    public async Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Operation != RequestOperation.ChatCompletions)
        {
            return new ProviderReply(null, UpstreamFailures.Invalid("Anthropic offers no embeddings API: route embeddings to another provider."));
        }

        if (!TryCreateRequest(call, stream: false, out var request, out _, out var failure))
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

            try
            {
                return new ProviderReply(AnthropicResponseTranslator.Translate(body, call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), null);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                return new ProviderReply(null, UpstreamFailures.Malformed(_target.Kind, providerName));
            }
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(call, stream: true, out var request, out var includeUsage, out var failure))
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using var ownedRequest = request;
        using var state = new AnthropicStreamState(providerName, call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage);
        await foreach (var evt in UpstreamRequest.StreamAsync(httpClient, request, _target, state, cancellationToken))
        {
            yield return evt;
        }
    }

    private bool TryCreateRequest(ProviderCall call, bool stream, out HttpRequestMessage request, out bool includeUsage, out ProviderFailure? failure)
    {
        byte[] body;
        try
        {
            body = AnthropicRequestTranslator.Translate(call.Body, call.Model, options.DefaultMaxTokens, stream, out includeUsage);
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            request = null!;
            includeUsage = false;
            failure = UpstreamFailures.Invalid(ex is ProviderTranslationException ? ex.Message : "The request body is not valid JSON.");
            return false;
        }

        request = UpstreamRequest.Create(_messagesUri, body);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", options.ApiKey);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", options.AnthropicVersion);
        failure = null;
        return true;
    }
}
