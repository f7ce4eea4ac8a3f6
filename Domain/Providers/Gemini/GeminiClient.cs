using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>
/// Google's Gemini API (<c>{BaseUrl}/v1beta/models/{model}:generateContent</c>,
/// <c>:streamGenerateContent?alt=sse</c> and <c>:batchEmbedContents</c>; default base
/// <c>https://generativelanguage.googleapis.com</c>), keyed by the <c>x-goog-api-key</c> header.
/// </summary>
internal sealed class GeminiClient(string providerName, ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com");

    private readonly Uri _baseUrl = options.BaseUrl ?? DefaultBaseUrl;
    private readonly UpstreamTarget _target = new("Gemini", providerName, options.TimeoutSeconds, GeminiResponseTranslator.ErrorStatus);

    public Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken) => call.Operation switch
    {
        RequestOperation.ChatCompletions => CompleteAsync(call, cancellationToken),
        RequestOperation.Embeddings => EmbedAsync(call, cancellationToken),
        _ => Task.FromResult(new ProviderReply(null, UpstreamFailures.Invalid("Gemini providers serve chat completions and embeddings only."))),
    };

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] body;
        string model;
        bool includeUsage;
        ProviderFailure? failure = null;
        try
        {
            body = GeminiRequestTranslator.Translate(call.Body, call.Model, out model, out includeUsage);
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            (body, model, includeUsage) = ([], string.Empty, false);
            failure = Invalid(ex);
        }

        if (failure is not null)
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using var request = CreateRequest(model, ":streamGenerateContent?alt=sse", body);
        using var state = new GeminiStreamState(providerName, call.Model, "chatcmpl-" + call.RequestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage);
        await foreach (var evt in UpstreamRequest.StreamAsync(httpClient, request, _target, state, cancellationToken))
        {
            yield return evt;
        }
    }

    private async Task<ProviderReply> CompleteAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        byte[] body;
        string model;
        try
        {
            body = GeminiRequestTranslator.Translate(call.Body, call.Model, out model, out _);
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            return new ProviderReply(null, Invalid(ex));
        }

        using var request = CreateRequest(model, ":generateContent", body);
        var (answer, failure) = await UpstreamRequest.ExchangeAsync(httpClient, request, _target, cancellationToken);
        if (answer is null)
        {
            return new ProviderReply(null, failure);
        }

        try
        {
            return new ProviderReply(GeminiResponseTranslator.Translate(answer, call.Model, "chatcmpl-" + call.RequestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return new ProviderReply(null, UpstreamFailures.Malformed(_target.Kind, providerName));
        }
    }

    private async Task<ProviderReply> EmbedAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        byte[] body;
        string model;
        bool base64;
        try
        {
            body = GeminiEmbeddingsTranslator.TranslateRequest(call.Body, call.Model, out model, out base64);
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            return new ProviderReply(null, Invalid(ex));
        }

        using var request = CreateRequest(model, ":batchEmbedContents", body);
        var (answer, failure) = await UpstreamRequest.ExchangeAsync(httpClient, request, _target, cancellationToken);
        if (answer is null)
        {
            return new ProviderReply(null, failure);
        }

        try
        {
            return new ProviderReply(GeminiEmbeddingsTranslator.TranslateResponse(answer, model, base64), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException)
        {
            return new ProviderReply(null, UpstreamFailures.Malformed(_target.Kind, providerName));
        }
    }

    private HttpRequestMessage CreateRequest(string model, string method, byte[] body)
    {
        var uri = UpstreamRequest.Combine(_baseUrl, "/v1beta/models/" + Uri.EscapeDataString(model) + method);
        var request = UpstreamRequest.Create(uri, body);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", options.ApiKey);
        }

        return request;
    }

    private static ProviderFailure Invalid(Exception ex) =>
        UpstreamFailures.Invalid(ex is ProviderTranslationException ? ex.Message : "The request body is not valid JSON.");
}
