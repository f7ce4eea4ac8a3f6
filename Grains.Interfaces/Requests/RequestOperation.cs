namespace Synapse.Grains.Interfaces.Requests;

[GenerateSerializer, Alias("synapse.RequestOperation")]
public enum RequestOperation
{
    ChatCompletions = 0,
    Embeddings = 1,
    ListModels = 2,

    /// <summary>One model of the key's allowlist (<c>GET /v1/models/{model}</c>); the model is <see cref="AdmissionRequest.Model"/>.</summary>
    RetrieveModel = 3,

    /// <summary>
    /// A path the gateway does not serve (<c>/v1/files</c>, <c>/v1/images/generations</c>, …): only
    /// ever recorded by the front end, never sent to a key grain.
    /// </summary>
    UnknownEndpoint = 4,

    /// <summary>Messages' <c>count_tokens</c>: counted by the key grain itself, no provider involved.</summary>
    CountTokens = 5,
}
