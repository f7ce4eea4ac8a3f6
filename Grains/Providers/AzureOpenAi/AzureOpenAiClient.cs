using System.Runtime.CompilerServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Providers.AzureOpenAi;

/// <summary>
/// Azure OpenAI's deployments API
/// (<c>{BaseUrl}/openai/deployments/{deployment}/chat/completions?api-version=…</c> and
/// <c>/embeddings</c>), keyed by the <c>api-key</c> header. The wire format is OpenAI's, so bodies
/// and chunks pass through; only the route and the credential differ.
/// </summary>
internal sealed class AzureOpenAiClient(string providerName, ProviderOptions options, HttpClient httpClient) : IProviderClient
{
    private const string Kind = "Azure OpenAI";

    private readonly UpstreamTarget _target = new(Kind, providerName, options.TimeoutSeconds, ErrorType);

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

            return AzureOpenAiStream.Inspect(body) == AzureOpenAiStream.Shape.Chunk
                ? new ProviderReply(body, null)
                : new ProviderReply(null, UpstreamFailures.Malformed(Kind, providerName));
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
        await foreach (var evt in UpstreamRequest.StreamAsync(httpClient, request, _target, new AzureOpenAiStream(providerName), cancellationToken))
        {
            yield return evt;
        }
    }

    /// <summary>The <c>code</c> (else <c>type</c>) of an OpenAI-shaped error body, <c>{"error":{"code","message",…}}</c>.</summary>
    internal static string? ErrorType(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("error"u8, out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (error.TryGetProperty("code"u8, out var code) && code.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            return code.ValueKind == JsonValueKind.String ? code.GetString() : code.GetRawText();
        }

        return error.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
    }

    internal static string? ErrorType(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return ErrorType(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool TryCreateRequest(ProviderCall call, out HttpRequestMessage request, out ProviderFailure? failure)
    {
        request = null!;
        if (options.BaseUrl is null)
        {
            failure = UpstreamFailures.Invalid($"Azure OpenAI provider '{providerName}' has no BaseUrl configured.");
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
            failure = UpstreamFailures.Invalid("Azure OpenAI providers serve chat completions and embeddings only.");
            return false;
        }

        var model = ReadModel(call.Body) ?? call.Model;
        var deployment = options.Deployments.TryGetValue(model, out var mapped) ? mapped : model;
        var uri = UpstreamRequest.Combine(
            options.BaseUrl,
            "/openai/deployments/" + Uri.EscapeDataString(deployment) + operation + "?api-version=" + Uri.EscapeDataString(options.ApiVersion));
        request = UpstreamRequest.Create(uri, call.Body);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("api-key", options.ApiKey);
        }

        failure = null;
        return true;
    }

    /// <summary>The body's top-level <c>model</c>, found without building a document (bodies can hold images).</summary>
    internal static string? ReadModel(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
