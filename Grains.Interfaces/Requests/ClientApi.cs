namespace Synapse.Grains.Interfaces.Requests;

/// <summary>
/// The API a client spoke. Messages and Responses requests are translated once into the gateway's
/// internal Chat Completions request (<see cref="RequestOperation.ChatCompletions"/>) and their
/// answers back; the audit row names the API the client used.
/// </summary>
[GenerateSerializer, Alias("synapse.ClientApi")]
public enum ClientApi
{
    /// <summary>OpenAI's Chat Completions, Embeddings and Models: the body is the internal request.</summary>
    OpenAi = 0,

    /// <summary>Anthropic's Messages API (<c>POST /v1/messages</c>).</summary>
    Messages = 1,

    /// <summary>OpenAI's Responses API (<c>POST /v1/responses</c>).</summary>
    Responses = 2,

    /// <summary>Anthropic's token counting (<c>POST /v1/messages/count_tokens</c>), answered by the gateway itself.</summary>
    MessagesCountTokens = 3,
}
