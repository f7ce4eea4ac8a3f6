using System.Text.Json;

namespace Synapse.Providers.Gemini;

/// <summary>
/// Copies a JSON Schema into Gemini's OpenAPI-subset <c>Schema</c>. Gemini refuses a request
/// naming keywords outside that subset; the ones OpenAI clients commonly send are dropped, which
/// only loosens the schema.
/// </summary>
internal static class GeminiSchema
{
    public static void Write(Utf8JsonWriter writer, JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            schema.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var keyword in schema.EnumerateObject())
        {
            if (keyword.NameEquals("$schema"u8) || keyword.NameEquals("additionalProperties"u8)
                || keyword.NameEquals("strict"u8) || keyword.NameEquals("$id"u8))
            {
                continue;
            }

            writer.WritePropertyName(keyword.Name);
            var value = keyword.Value;
            if (keyword.NameEquals("properties"u8) && value.ValueKind == JsonValueKind.Object)
            {
                // Names here are the caller's field names, not keywords: keep them all.
                writer.WriteStartObject();
                foreach (var field in value.EnumerateObject())
                {
                    writer.WritePropertyName(field.Name);
                    Write(writer, field.Value);
                }

                writer.WriteEndObject();
            }
            else if (keyword.NameEquals("items"u8))
            {
                Write(writer, value);
            }
            else if ((keyword.NameEquals("anyOf"u8) || keyword.NameEquals("oneOf"u8) || keyword.NameEquals("allOf"u8))
                && value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
