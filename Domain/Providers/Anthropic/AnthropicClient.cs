using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST {BaseUrl}/v1/messages</c>, default base
/// <c>https://api.anthropic.com</c>), keyed by the <c>x-api-key</c> header. Translation lives in
/// the translator classes; this class only builds the request and picks them.
/// </summary>
internal sealed class AnthropicClient(ProviderOptions options, HttpClient httpClient)
    : TranslatingProviderClient(new UpstreamTarget(options, AnthropicResponseTranslator.ErrorType), options, "x-api-key", httpClient)
{
    private readonly Uri _messagesUri = UpstreamRequest.Combine(options.BaseUrl ?? new Uri("https://api.anthropic.com"), "/v1/messages");

    public override Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken) =>
        call.Operation != RequestOperation.ChatCompletions
            ? Task.FromResult(new ProviderReply(null, ModelRefusals.Operation(call.Operation)))
            : ExchangeAsync(
                () => (CreateRequest(call, stream: false, out _), call.Model),
                (answer, model) => AnthropicResponseTranslator.Translate(answer, model, DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                cancellationToken);

    public override IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
        StreamAsync(
            () =>
            {
                var request = CreateRequest(call, stream: true, out var includeUsage);
                return (request, new AnthropicStreamState(call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage));
            },
            cancellationToken);

    private HttpRequestMessage CreateRequest(ProviderCall call, bool stream, out bool includeUsage)
    {
        var request = CreateRequest(_messagesUri, AnthropicRequestTranslator.Translate(call.Body, call.Model, Options.DefaultMaxTokens, stream, out includeUsage));
        request.Headers.TryAddWithoutValidation("anthropic-version", Options.AnthropicVersion);
        return request;
    }
}
