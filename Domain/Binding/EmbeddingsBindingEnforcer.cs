using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Binding;

/// <summary>Builds the embeddings body a provider receives: the model fixed, known fields only.</summary>
public static class EmbeddingsBindingEnforcer
{
    private static readonly string[] ForwardedFields = ["encoding_format", "dimensions", "user"];

    public static JsonObject Bind(JsonObject body, string model)
    {
        ForbiddenFields.Reject(body);
        JsonNode input = body["input"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v,
            JsonArray { Count: > 0 } a => a,
            _ => throw new InvalidRequestException("'input' is required: a string or a non-empty array.", "input"),
        };

        var bound = new JsonObject { ["model"] = model, ["input"] = input.DeepClone() };
        foreach (var name in ForwardedFields)
        {
            if (body[name] is { } value)
            {
                bound[name] = value.DeepClone();
            }
        }

        return bound;
    }
}
