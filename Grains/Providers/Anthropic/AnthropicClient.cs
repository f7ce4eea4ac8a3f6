using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Providers.AzureOpenAi;

namespace Synapse.Grains.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>POST {BaseUrl}/v1/messages</c>). Translation lives in the
/// translator classes; this class only moves bytes and maps HTTP outcomes.
/// </summary>
internal sealed class AnthropicClient(string providerName, ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private const string Kind = "Anthropic";
    private static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly Uri _messagesUri = UpstreamRequest.Combine(options.BaseUrl ?? DefaultBaseUrl, "/v1/messages");

    public async Task<ProviderReply> SendAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (call.Operation != RequestOperation.ChatCompletions)
        {
            return new ProviderReply(null, UpstreamFailures.Invalid("Anthropic offers no embeddings API: route embeddings to another provider."));
        }

        if (!TryBuildRequest(call, stream: false, out var request, out _, out var failure))
        {
            return new ProviderReply(null, failure);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using (request)
        {
            var (response, sendFailure) = await UpstreamRequest.SendAsync(httpClient, request, Kind, providerName, options.TimeoutSeconds, timeout.Token, cancellationToken);
            if (response is null)
            {
                return new ProviderReply(null, sendFailure);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    return new ProviderReply(null, await ErrorAsync(response, timeout.Token));
                }

                var (body, readFailure) = await UpstreamRequest.ReadBodyAsync(response, Kind, providerName, options.TimeoutSeconds, timeout.Token, cancellationToken);
                if (body is null)
                {
                    return new ProviderReply(null, readFailure);
                }

                try
                {
                    return new ProviderReply(AnthropicResponseTranslator.Translate(body, call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), null);
                }
                catch (Exception ex) when (ex is JsonException or InvalidDataException)
                {
                    return new ProviderReply(null, UpstreamFailures.Malformed(Kind, providerName));
                }
            }
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!TryBuildRequest(call, stream: true, out var request, out var includeUsage, out var failure))
        {
            yield return new StreamEvent(null, failure);
            yield break;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var ownedRequest = request;
        request.Headers.Accept.Add(EventStream);
        var (response, sendFailure) = await UpstreamRequest.SendAsync(httpClient, request, Kind, providerName, options.TimeoutSeconds, timeout.Token, cancellationToken);
        if (response is null)
        {
            yield return new StreamEvent(null, sendFailure);
            yield break;
        }

        using var ownedResponse = response;
        if (!response.IsSuccessStatusCode)
        {
            yield return new StreamEvent(null, await ErrorAsync(response, timeout.Token));
            yield break;
        }

        using var state = new AnthropicStreamState(call.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), includeUsage);
        using var reader = new ServerSentEventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var chunks = new List<byte[]>(2);
        while (!state.IsComplete)
        {
            var (evt, readFailure) = await UpstreamRequest.ReadEventAsync(reader, Kind, providerName, options.TimeoutSeconds, timeout.Token, cancellationToken);
            if (readFailure is not null)
            {
                yield return new StreamEvent(null, readFailure);
                yield break;
            }

            if (evt is null)
            {
                break;
            }

            var translateFailure = AnthropicStreamTranslator.Translate(evt.Value.Data, state, providerName, chunks);
            foreach (var chunk in chunks)
            {
                yield return new StreamEvent(chunk, null);
            }

            chunks.Clear();
            if (translateFailure is not null)
            {
                yield return new StreamEvent(null, translateFailure);
                yield break;
            }
        }

        var endFailure = AnthropicStreamTranslator.Complete(state, providerName, chunks);
        foreach (var chunk in chunks)
        {
            yield return new StreamEvent(chunk, null);
        }

        if (endFailure is not null)
        {
            yield return new StreamEvent(null, endFailure);
        }
    }

    private bool TryBuildRequest(ProviderCall call, bool stream, out HttpRequestMessage request, out bool includeUsage, out ProviderFailure? failure)
    {
        byte[] body;
        includeUsage = false;
        try
        {
            body = AnthropicRequestTranslator.Translate(call.Body, call.Model, options.DefaultMaxTokens, stream, out includeUsage);
        }
        catch (ProviderTranslationException ex)
        {
            request = null!;
            failure = UpstreamFailures.Invalid(ex.Message);
            return false;
        }
        catch (JsonException)
        {
            request = null!;
            failure = UpstreamFailures.Invalid("The request body is not valid JSON.");
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

    private async Task<ProviderFailure> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var type = await UpstreamFailures.ReadErrorTypeAsync(response.Content, AnthropicResponseTranslator.ErrorType, cancellationToken);
        return UpstreamFailures.FromStatus(Kind, providerName, response.StatusCode, type);
    }
}
