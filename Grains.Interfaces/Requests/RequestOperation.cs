namespace Synapse.Grains.Interfaces.Requests;

[GenerateSerializer, Alias("synapse.RequestOperation")]
public enum RequestOperation
{
    ChatCompletions = 0,
    Embeddings = 1,
    ListModels = 2,

    /// <summary>One model of the key's allowlist (<c>GET /v1/models/{model}</c>); the model is <see cref="AdmissionRequest.Model"/>.</summary>
    RetrieveModel = 3,
}
