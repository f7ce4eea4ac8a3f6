using System.Text.Json;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Translation;

/// <summary>Picks the translation of a client's body into the internal Chat Completions request.</summary>
public static class ClientRequestTranslator
{
    /// <param name="body">The client's body, parsed by <see cref="Binding.RequestJson.ParseElement"/>.</param>
    public static TranslatedRequest Translate(ClientApi api, JsonElement body) => api switch
    {
        ClientApi.Messages => MessagesRequestTranslator.Translate(body),
        ClientApi.Responses => ResponsesRequestTranslator.Translate(body),
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Chat Completions bodies are not translated."),
    };

    /// <summary>
    /// A provider's <c>param</c> as the client can use it. It is a path into the request the
    /// provider received, whose messages the key's binding renumbered (its system prompt first, the
    /// client's system messages demoted or dropped), so a message path is cut to <c>messages</c>,
    /// never pointing at another of the client's messages; for a translated API the top-level field
    /// is named as the client calls it (<c>response_format</c> is <c>text.format</c> on Responses).
    /// </summary>
    public static string? ClientParam(ClientApi api, string? providerParam)
    {
        if (providerParam is null)
        {
            return null;
        }

        var end = providerParam.IndexOfAny(['.', '[']);
        var field = end < 0 ? providerParam : providerParam[..end];
        return api switch
        {
            ClientApi.Messages => MessagesRequestTranslator.ClientFieldName(field),
            ClientApi.Responses => ResponsesRequestTranslator.ClientFieldName(field),
            _ => field == "messages" ? field : providerParam,
        };
    }
}
