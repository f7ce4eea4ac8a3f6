using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Builds the embeddings answer a client receives from what an embeddings answer holds: each
/// vector (numbers, or the base64 of float32 values a client asked for with
/// <c>encoding_format: "base64"</c>), its index, and the token counts. No text of the provider's
/// reaches the client, so there is nothing for response DLP to read: the model named is the one
/// the gateway asked for, and anything else in the provider's body (an extension, an echo of the
/// input) is dropped.
/// </summary>
public static class EmbeddingsAnswer
{
    /// <exception cref="JsonException">The answer is not an embeddings list: the caller withholds it.</exception>
    public static byte[] Rebuild(byte[] body, string model)
    {
        if (AnswerFields.Parse(body) is not JsonObject answer || answer["data"] is not JsonArray data)
        {
            throw new JsonException("The answer is not an embeddings list.");
        }

        var vectors = new JsonArray();
        for (var position = 0; position < data.Count; position++)
        {
            if (data[position] is not JsonObject item || Vector(item["embedding"]) is not { } vector)
            {
                throw new JsonException("An item of the answer is not an embedding.");
            }

            vectors.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = AnswerFields.Integer(item["index"]) ?? position,
                ["embedding"] = vector,
            });
        }

        var rebuilt = new JsonObject { ["object"] = "list", ["data"] = vectors, ["model"] = model };
        if (AnswerFields.Usage(answer["usage"]) is { } usage)
        {
            rebuilt["usage"] = usage;
        }

        return JsonSerializer.SerializeToUtf8Bytes(rebuilt);
    }

    /// <summary>An array of numbers, or base64 without whitespace that decodes to whole float32 values.</summary>
    private static JsonNode? Vector(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray numbers when numbers.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number):
                return numbers.DeepClone();
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var encoded = value.GetValue<string>();
                return !encoded.AsSpan().ContainsAny(" \t\r\n") && Base64.IsValid(encoded, out var length) && length % sizeof(float) == 0 ? encoded : null;
            default:
                return null;
        }
    }
}
