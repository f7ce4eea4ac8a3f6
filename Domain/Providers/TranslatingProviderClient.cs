using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>
/// The template of a provider whose API is not OpenAI's (Anthropic, Gemini): translate the OpenAI
/// request → exchange it (or stream it) → translate the answer back → map every failure to a
/// <see cref="ProviderFailure"/>. A request the provider cannot express is <c>invalid</c> before
/// anything is sent; an answer that cannot be translated back is <c>malformed</c>. Requests carry
/// the provider's key in the header it names (<paramref name="apiKeyHeader"/>).
/// </summary>
internal abstract class TranslatingProviderClient(UpstreamTarget target, ProviderOptions options, string apiKeyHeader, HttpClient httpClient) : IProviderClient
{
    protected ProviderOptions Options => options;

    public abstract Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, CancellationToken cancellationToken);

    /// <summary>
    /// One non-streamed exchange. <paramref name="translate"/> builds the provider's request and
    /// what translating its answer back needs; <paramref name="translateBack"/> makes the OpenAI
    /// answer of the provider's.
    /// </summary>
    protected async Task<ProviderReply> ExchangeAsync<TContext>(
        Func<(HttpRequestMessage Request, TContext Context)> translate,
        Func<byte[], TContext, byte[]> translateBack,
        CancellationToken cancellationToken)
    {
        HttpRequestMessage request;
        TContext context;
        try
        {
            (request, context) = translate();
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            return new ProviderReply(null, Invalid(ex));
        }

        using (request)
        {
            var (answer, failure) = await UpstreamRequest.ExchangeAsync(httpClient, request, target, cancellationToken);
            if (answer is null)
            {
                return new ProviderReply(null, failure);
            }

            try
            {
                return new ProviderReply(translateBack(answer, context), null);
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException)
            {
                return new ProviderReply(null, UpstreamFailures.Malformed);
            }
        }
    }

    /// <summary>One streamed exchange, its events translated one at a time by the state <paramref name="translate"/> makes.</summary>
    protected async IAsyncEnumerable<StreamEvent> StreamAsync<TState>(
        Func<(HttpRequestMessage Request, TState State)> translate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TState : IUpstreamStream, IDisposable
    {
        HttpRequestMessage? request = null;
        TState? state = default;
        ProviderFailure? failure = null;
        try
        {
            (request, state) = translate();
        }
        catch (Exception ex) when (ex is ProviderTranslationException or JsonException)
        {
            failure = Invalid(ex);
        }

        if (failure is not null || request is null || state is null)
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using (request)
        using (state)
        {
            await foreach (var evt in UpstreamRequest.StreamAsync(httpClient, request, target, state, cancellationToken))
            {
                yield return evt;
            }
        }
    }

    /// <summary>A JSON POST of <paramref name="body"/> to <paramref name="uri"/>, with the provider's key when one is configured.</summary>
    protected HttpRequestMessage CreateRequest(Uri uri, byte[] body)
    {
        var request = UpstreamRequest.Create(uri, body);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation(apiKeyHeader, options.ApiKey);
        }

        return request;
    }

    private static ProviderFailure Invalid(Exception ex) =>
        UpstreamFailures.Invalid(ex is ProviderTranslationException ? ex.Message : "The request body is not valid JSON.");
}
