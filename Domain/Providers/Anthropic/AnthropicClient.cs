using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST {BaseUrl}/v1/messages</c>, default base
/// <c>https://api.anthropic.com</c>). Translation lives in the translator classes; this class only
/// builds the request and picks them.
/// </summary>
internal sealed class AnthropicClient : TranslatingProviderClient
{
    private const string Kind = "Anthropic";
    private static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com");

    private readonly ProviderOptions _options;
    private readonly string _providerName;
    private readonly Uri _messagesUri;

    public AnthropicClient(string providerName, ProviderOptions options, HttpClient httpClient)
        : base(providerName, new UpstreamTarget(Kind, providerName, options.TimeoutSeconds, AnthropicResponseTranslator.ErrorType), httpClient)
    {
        _options = options;
        _providerName = providerName;
        _messagesUri = UpstreamRequest.Combine(options.BaseUrl ?? DefaultBaseUrl, "/v1/messages");
    }

    public override Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken) =>
        call.Operation != RequestOperation.ChatCompletions
            ? Task.FromResult(new ProviderReply(null, UpstreamFailures.Invalid("Anthropic offers no embeddings API: route embeddings to another provider.")))
            : ExchangeAsync(
                () => (CreateRequest(call, stream: false, out _), call.Model),
                (answer, model) => AnthropicResponseTranslator.Translate(answer, model, DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                cancellationToken);

    public override IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, CancellationToken cancellationToken) =>
        StreamAsync(
            () =>
            {
                var request = CreateRequest(call, stream: true, out var includeUsage);
                return (request, new AnthropicStreamState(_providerName, call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage));
            },
            cancellationToken);

    private HttpRequestMessage CreateRequest(ProviderCall call, bool stream, out bool includeUsage)
    {
        var body = AnthropicRequestTranslator.Translate(call.Body, call.Model, _options.DefaultMaxTokens, stream, out includeUsage);
        var request = UpstreamRequest.Create(_messagesUri, body);
        if (_options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _options.ApiKey);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", _options.AnthropicVersion);
        return request;
    }
}
