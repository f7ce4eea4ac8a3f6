using System.Text.Json;

namespace Synapse.Translation;

/// <summary>Reads the fields of a (filtered) chat completion or chunk that the other APIs' answers are built from.</summary>
internal static class ChatJson
{
    /// <summary>The first choice; the gateway asks for one on these APIs' behalf.</summary>
    public static bool FirstChoice(JsonElement root, out JsonElement choice)
    {
        if (root.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0 && choices[0] is { ValueKind: JsonValueKind.Object } first)
        {
            choice = first;
            return true;
        }

        choice = default;
        return false;
    }

    public static JsonElement ObjectOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    public static string? StringOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long CountOf(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
