using System.Buffers;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>
/// OpenAI embeddings over Gemini's <c>batchEmbedContents</c>: one request per input text, and the
/// vectors back as OpenAI's embeddings list, as numbers (Gemini has no base64: the answer is encoded
/// as the client asked where every provider's is, in <see cref="Dlp.Gateway.EmbeddingsAnswer"/>).
/// Gemini reports no token counts for embeddings, so the usage is zero.
/// </summary>
internal static class GeminiEmbeddingsTranslator
{
    public static byte[] TranslateRequest(ReadOnlyMemory<byte> openAiRequest, string fallbackModel, out string model)
    {
        using var document = JsonDocument.Parse(openAiRequest, OpenAiWire.DocumentOptions);
        var request = document.RootElement;
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("input"u8, out var input))
        {
            throw new ProviderTranslationException("The request needs an 'input'.");
        }

        model = GeminiRequestTranslator.ModelPath(OpenAiWire.Model(request, fallbackModel));
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
                        throw ModelRefusals.EmbeddingInput();
                    }

                    WriteOne(writer, model, item, hasDimensions ? dimensions : null);
                }
            }
            else
            {
                throw ModelRefusals.EmbeddingInput();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    public static byte[] TranslateResponse(ReadOnlyMemory<byte> geminiResponse, string model)
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
                values.WriteTo(writer);

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
}
