using System.Text.Json.Serialization;

namespace Synapse.Gateway.OpenAi;

/// <summary>OpenAI's <c>GET /v1/models</c> answer.</summary>
public sealed partial record ModelList(
    [property: JsonPropertyName("object")] string Kind,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelList.Model> Data)
{
    public static ModelList From(IReadOnlyList<string> models) =>
        new("list", [.. models.Select(id => new Model(id, "model", 0, "synapse"))]);

    public sealed record Model(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("object")] string Kind,
        [property: JsonPropertyName("created")] long Created,
        [property: JsonPropertyName("owned_by")] string OwnedBy);

    [JsonSerializable(typeof(ModelList))]
    internal sealed partial class JsonContext : JsonSerializerContext;
}
