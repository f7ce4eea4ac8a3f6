using System.Text.Json.Serialization;

namespace Synapse.Gateway.OpenAi;

/// <summary>OpenAI's <c>GET /v1/models</c> answer, and its model object (<c>GET /v1/models/{model}</c>).</summary>
public sealed partial record ModelList(
    [property: JsonPropertyName("object")] string Kind,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelList.Model> Data)
{
    public static ModelList From(IReadOnlyList<string> models) => new("list", [.. models.Select(Describe)]);

    public static Model Describe(string id) => new(id, "model", 0, "synapse");

    /// <summary>
    /// The model a retrieve's path names. Kestrel decodes a path except its escaped slashes, so an
    /// SDK that escapes the slash in "org/model" and one that does not name the same model.
    /// </summary>
    public static string? FromPath(string? model) => model?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public sealed record Model(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("object")] string Kind,
        [property: JsonPropertyName("created")] long Created,
        [property: JsonPropertyName("owned_by")] string OwnedBy);

    [JsonSerializable(typeof(ModelList))]
    [JsonSerializable(typeof(Model))]
    internal sealed partial class JsonContext : JsonSerializerContext;
}
