using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Builds the embeddings answer a client receives from what an embeddings answer holds: each
/// vector, its index, and the token counts. No text of the provider's reaches the client, so there
/// is nothing for response DLP to read: the model named is the one the gateway asked for, and
/// anything else in the provider's body (an extension, an echo of the input) is dropped.
/// </summary>
/// <remarks>
/// Each vector goes out in the encoding the client asked for, whatever the provider sent: numbers,
/// or with <c>encoding_format: "base64"</c> the base64 of its little-endian float32 values, as
/// OpenAI writes it. A provider that ignores <c>encoding_format</c> (Ollama does) answers numbers
/// to a client that asked for base64, and the OpenAI Node SDK, which asks for base64 by default,
/// decodes them as base64 without an error: every vector garbage. This is also the one place a
/// translated provider's numbers (Gemini's) become base64.
/// </remarks>
public static class EmbeddingsAnswer
{
    /// <param name="base64">The client asked for <c>encoding_format: "base64"</c>.</param>
    /// <exception cref="JsonException">The answer is not an embeddings list: the caller withholds it.</exception>
    public static byte[] Rebuild(byte[] body, string model, bool base64)
    {
        if (AnswerFields.Parse(body) is not JsonObject answer || answer["data"] is not JsonArray data)
        {
            throw new JsonException("The answer is not an embeddings list.");
        }

        var vectors = new JsonArray();
        for (var position = 0; position < data.Count; position++)
        {
            if (data[position] is not JsonObject item || Vector(item["embedding"], base64) is not { } vector)
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

    /// <summary>
    /// The vector in the encoding asked for; null when it is neither an array of numbers nor base64
    /// (without whitespace) of whole float32 values, or holds a value float32 cannot carry into the
    /// other encoding (a number beyond its range; a NaN or infinity, which JSON has no number for).
    /// Numbers that stay numbers pass as the provider wrote them.
    /// </summary>
    private static JsonNode? Vector(JsonNode? node, bool base64)
    {
        switch (node)
        {
            case JsonArray numbers when numbers.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number):
                return base64 ? Float32Base64(numbers) : numbers.DeepClone();
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var encoded = value.GetValue<string>();
                if (encoded.AsSpan().ContainsAny(" \t\r\n") || !Base64.IsValid(encoded, out var length) || length % sizeof(float) != 0)
                {
                    return null;
                }

                return base64 ? JsonValue.Create(encoded) : Numbers(Convert.FromBase64String(encoded));
            default:
                return null;
        }
    }

    /// <summary>OpenAI's base64 encoding: the vector as little-endian float32s.</summary>
    private static JsonNode? Float32Base64(JsonArray numbers)
    {
        var bytes = new byte[numbers.Count * sizeof(float)];
        for (var i = 0; i < numbers.Count; i++)
        {
            var single = numbers[i]!.AsValue().TryGetValue<double>(out var number) ? (float)number : float.NaN;
            if (!float.IsFinite(single))
            {
                return null;
            }

            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), single);
        }

        return Convert.ToBase64String(bytes);
    }

    private static JsonArray? Numbers(byte[] float32s)
    {
        var numbers = new JsonArray();
        for (var offset = 0; offset < float32s.Length; offset += sizeof(float))
        {
            var single = BinaryPrimitives.ReadSingleLittleEndian(float32s.AsSpan(offset));
            if (!float.IsFinite(single))
            {
                return null;
            }

            numbers.Add(single);
        }

        return numbers;
    }
}
