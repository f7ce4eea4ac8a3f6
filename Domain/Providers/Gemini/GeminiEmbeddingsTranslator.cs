using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>
/// OpenAI embeddings over Gemini's <c>batchEmbedContents</c>: one request per input text, and the
/// vectors back as OpenAI's embeddings list. Gemini reports no token counts for embeddings, so the
/// usage is zero.
/// </summary>
internal static class GeminiEmbeddingsTranslator
{
    public static byte[] TranslateRequest(ReadOnlyMemory<byte> openAiRequest, string fallbackModel, out string model, out bool base64)
    {
        using var document = JsonDocument.Parse(openAiRequest, OpenAiWire.DocumentOptions);
        var request = document.RootElement;
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("input"u8, out var input))
        {
            throw new ProviderTranslationException("The request needs an 'input'.");
        }

        model = GeminiRequestTranslator.ModelPath(OpenAiWire.Model(request, fallbackModel));
        base64 = request.TryGetProperty("encoding_format"u8, out var format) && format.ValueEquals("base64"u8);
        var hasDimensions = OpenAiWire.TryGetNumber(request, "dimensions"u8, out var dimensions);
        var buffer = new ArrayBufferWriter<byte>(openAiRequest.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests"u8);
            if (input.ValueKind == JsonValueKind.String)
            {
                WriteOne(writer, model, input, hasDimensions ? dimensions : null);
            }
            else if (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0)
            {
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw new ProviderTranslationException("Gemini embeds text only: 'input' must be a string or an array of strings.");
                    }

                    WriteOne(writer, model, item, hasDimensions ? dimensions : null);
                }
            }
            else
            {
                throw new ProviderTranslationException("Gemini embeds text only: 'input' must be a string or an array of strings.");
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    public static byte[] TranslateResponse(ReadOnlyMemory<byte> geminiResponse, string model, bool base64)
    {
        using var document = JsonDocument.Parse(geminiResponse, OpenAiWire.DocumentOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("embeddings"u8, out var embeddings)
            || embeddings.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The answer is not a Gemini embeddings response.");
        }

        var buffer = new ArrayBufferWriter<byte>(geminiResponse.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            var index = 0;
            foreach (var embedding in embeddings.EnumerateArray())
            {
                if (!embedding.TryGetProperty("values"u8, out var values) || values.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException("A Gemini embedding has no values.");
                }

                writer.WriteStartObject();
                writer.WriteString("object"u8, "embedding"u8);
                writer.WriteNumber("index"u8, index++);
                writer.WritePropertyName("embedding"u8);
                if (base64)
                {
                    writer.WriteBase64StringValue(Float32Bytes(values));
                }
                else
                {
                    values.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model"u8, model);
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("prompt_tokens"u8, 0);
            writer.WriteNumber("total_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    private static void WriteOne(Utf8JsonWriter writer, string model, JsonElement text, JsonElement? dimensions)
    {
        writer.WriteStartObject();
        writer.WriteString("model"u8, "models/" + model);
        writer.WriteStartObject("content"u8);
        writer.WriteStartArray("parts"u8);
        writer.WriteStartObject();
        writer.WritePropertyName("text"u8);
        text.WriteTo(writer);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        if (dimensions is { } value)
        {
            writer.WritePropertyName("outputDimensionality"u8);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>OpenAI's base64 encoding: the vector as little-endian float32s.</summary>
    private static byte[] Float32Bytes(JsonElement values)
    {
        var bytes = new byte[values.GetArrayLength() * sizeof(float)];
        var offset = 0;
        foreach (var value in values.EnumerateArray())
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value.GetSingle());
            offset += sizeof(float);
        }

        return bytes;
    }
}
