using System.Text.Json;

namespace Synapse.Providers;

/// <summary>Reads the few facts the adapters need from OpenAI-shaped bodies without keeping them.</summary>
internal static class OpenAiErrorBody
{
    /// <summary>The <c>code</c> (else <c>type</c>) of an OpenAI-shaped error body, <c>{"error":{"code","message",…}}</c>.</summary>
    public static string? ErrorType(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("error"u8, out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (error.TryGetProperty("code"u8, out var code) && code.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            return code.ValueKind == JsonValueKind.String ? code.GetString() : code.GetRawText();
        }

        return error.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
    }

    public static string? ErrorType(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return ErrorType(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body's top-level <c>model</c>, found without building a document (bodies can hold images).</summary>
    public static string? ReadModel(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
