using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers.Gemini;

/// <summary>
/// Google's Gemini API (<c>{BaseUrl}/v1beta/models/{model}:generateContent</c>,
/// <c>:streamGenerateContent?alt=sse</c> and <c>:batchEmbedContents</c>; default base
/// <c>https://generativelanguage.googleapis.com</c>), keyed by the <c>x-goog-api-key</c> header.
/// </summary>
internal sealed class GeminiClient(ProviderOptions options, HttpClient httpClient)
    : TranslatingProviderClient(new UpstreamTarget(options, GeminiResponseTranslator.ErrorStatus), options, "x-goog-api-key", httpClient)
{
    private readonly Uri _baseUrl = options.BaseUrl ?? new Uri("https://generativelanguage.googleapis.com");

    public override Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken) => call.Operation switch
    {
        RequestOperation.ChatCompletions => ExchangeAsync(
            () =>
            {
                var body = GeminiRequestTranslator.Translate(call.Body, call.Model, out var model, out _);
                return (CreateRequest(model, ":generateContent", body), call);
            },
            (answer, c) => GeminiResponseTranslator.Translate(answer, c.Model, "chatcmpl-" + c.RequestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            cancellationToken),
        RequestOperation.Embeddings => ExchangeAsync(
            () =>
            {
                var body = GeminiEmbeddingsTranslator.TranslateRequest(call.Body, call.Model, out var model);
                return (CreateRequest(model, ":batchEmbedContents", body), model);
            },
            (answer, model) => GeminiEmbeddingsTranslator.TranslateResponse(answer, model),
            cancellationToken),
        _ => Task.FromResult(new ProviderReply(null, ModelRefusals.Operation(call.Operation))),
    };

    public override IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
        StreamAsync(
            () =>
            {
                var body = GeminiRequestTranslator.Translate(call.Body, call.Model, out var model, out var includeUsage);
                var request = CreateRequest(model, ":streamGenerateContent?alt=sse", body);
                return (request, new GeminiStreamState(call.Model, "chatcmpl-" + call.RequestId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage));
            },
            cancellationToken);

    private HttpRequestMessage CreateRequest(string model, string method, byte[] body) =>
        CreateRequest(UpstreamRequest.Combine(_baseUrl, "/v1beta/models/" + Uri.EscapeDataString(model) + method), body);
}
