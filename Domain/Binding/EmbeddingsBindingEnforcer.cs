using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Binding;

/// <summary>
/// Builds the embeddings body a provider receives: the model fixed, <c>input</c> text (a string
/// or an array of strings, all read by prompt DLP) and the known options; anything else is dropped
/// and reported. Token-id input (arrays of numbers) is refused: DLP cannot read it.
/// </summary>
public static class EmbeddingsBindingEnforcer
{
    /// <summary>What is forwarded besides the model and the input (prompt DLP reads every one: PromptDlp).</summary>
    public static readonly IReadOnlyList<string> ForwardedFields = ["encoding_format", "dimensions", "user"];

    public static JsonObject Bind(JsonObject body, string model) => Bind(body, model, out _);

    /// <summary>Whether the client asked for its vectors as base64 (OpenAI's other encoding is <c>float</c>, the default).</summary>
    public static bool WantsBase64(JsonObject bound) =>
        bound["encoding_format"] is JsonValue format && format.GetValueKind() == JsonValueKind.String && format.GetValue<string>() == "base64";

    public static JsonObject Bind(JsonObject body, string model, out IReadOnlyList<string> dropped)
    {
        ForbiddenFields.Reject(body);
        JsonNode input = body["input"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v,
            JsonArray { Count: > 0 } a when a.All(i => i?.GetValueKind() == JsonValueKind.String) => a,
            JsonArray { Count: > 0 } => throw new InvalidRequestException("'input' must be text: a string or an array of strings (token ids cannot be checked by the data-loss-prevention policy).", "input"),
            _ => throw new InvalidRequestException("'input' is required: a string or a non-empty array of strings.", "input"),
        };

        var bound = new JsonObject { ["model"] = model, ["input"] = input.DeepClone() };
        var left = new DroppedFields();
        foreach (var (name, value) in body)
        {
            if (name is "model" or "input" || value is null)
            {
                continue;
            }

            if (!ForwardedFields.Contains(name))
            {
                left.AddClientName(string.Empty, name);
                continue;
            }

            if (name == "dimensions")
            {
                NumericField.RequireInteger(name, value, 1, int.MaxValue);
            }
            else if (value.GetValueKind() != JsonValueKind.String)
            {
                throw new InvalidRequestException($"'{name}' must be a string.", name);
            }
            else if (name == "encoding_format" && value.GetValue<string>() is not ("float" or "base64"))
            {
                // The answer is rebuilt in the encoding asked for (EmbeddingsAnswer): only these two exist.
                throw new InvalidRequestException("'encoding_format' must be \"float\" or \"base64\".", name);
            }

            bound[name] = value.DeepClone();
        }

        dropped = left.ToList();
        return bound;
    }
}
