using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Translation;

/// <summary>Picks the translation of a client's body into the internal Chat Completions request.</summary>
public static class ClientRequestTranslator
{
    public static TranslatedRequest Translate(ClientApi api, JsonObject body) => api switch
    {
        ClientApi.Messages => MessagesRequestTranslator.Translate(body),
        ClientApi.Responses => ResponsesRequestTranslator.Translate(body),
        _ => throw new ArgumentOutOfRangeException(nameof(api), api, "Chat Completions bodies are not translated."),
    };
}
