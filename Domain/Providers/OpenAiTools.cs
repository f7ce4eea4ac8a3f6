using System.Text.Json;

namespace Synapse.Providers;

/// <summary>An OpenAI request's function tools, read for the translators that rename them (Anthropic, Gemini).</summary>
internal static class OpenAiTools
{
    /// <summary>The request's non-empty <c>tools</c> array.</summary>
    public static bool TryGet(JsonElement request, out JsonElement tools) =>
        request.TryGetProperty("tools"u8, out tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;

    /// <summary>
    /// One tool's <c>function</c>, checked to be <c>{"type":"function","function":{"name":…}}</c>;
    /// anything else is refused (<see cref="ModelRefusals.Tool"/>).
    /// </summary>
    public static JsonElement Function(JsonElement tool)
    {
        if (!tool.TryGetProperty("type"u8, out var type) || !type.ValueEquals("function"u8)
            || !tool.TryGetProperty("function"u8, out var function) || function.ValueKind != JsonValueKind.Object
            || !function.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
        {
            throw ModelRefusals.Tool();
        }

        return function;
    }

    /// <summary>Opens the provider's declaration of <paramref name="function"/> and writes its <c>name</c> and <c>description</c>.</summary>
    public static void WriteDeclarationStart(Utf8JsonWriter writer, JsonElement function)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("name"u8);
        function.GetProperty("name"u8).WriteTo(writer);
        if (function.TryGetProperty("description"u8, out var description) && description.ValueKind == JsonValueKind.String)
        {
            writer.WritePropertyName("description"u8);
            description.WriteTo(writer);
        }
    }
}
