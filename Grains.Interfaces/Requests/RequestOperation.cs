namespace Synapse.Grains.Interfaces.Requests;

[GenerateSerializer, Alias("synapse.RequestOperation")]
public enum RequestOperation
{
    ChatCompletions = 0,
    Embeddings = 1,
    ListModels = 2,
}
