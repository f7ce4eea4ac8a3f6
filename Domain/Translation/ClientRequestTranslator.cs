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
}
