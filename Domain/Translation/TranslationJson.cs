using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Translation;

/// <summary>
/// Reads a client's body for translation straight from its parsed <see cref="JsonElement"/>s (no
/// node tree is built for what is only read); every complaint names the client's field. A JSON
/// <c>null</c> counts as absent, as it does everywhere else in the binding.
/// </summary>
internal static class TranslationJson
{
    /// <summary>The member's value; <see cref="JsonValueKind.Undefined"/> when it is absent or null.</summary>
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    public static bool Has(JsonElement value) => value.ValueKind != JsonValueKind.Undefined;

    public static bool IsString(JsonElement value) => value.ValueKind == JsonValueKind.String;

    public static string String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InvalidRequestException($"'{path}' must be a string.", path);

    /// <summary>The string member <paramref name="name"/> of <paramref name="obj"/> (at <paramref name="path"/>).</summary>
    public static string String(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw NotAString(path, name);
    }

    /// <summary>
    /// The string member as a node that writes the client's own bytes: nothing is decoded here
    /// that the binding, DLP or the provider call do not read anyway.
    /// </summary>
    public static JsonNode StringNode(JsonElement obj, string name, string path)
    {
        var value = Get(obj, name);
        return value.ValueKind == JsonValueKind.String ? JsonValue.Create(value)! : throw NotAString(path, name);
    }

    /// <summary>The optional string member as a node; null when it is absent.</summary>
    public static JsonNode? OptionalStringNode(JsonElement obj, string name, string path) =>
        Has(Get(obj, name)) ? StringNode(obj, name, path) : null;

    public static JsonElement Object(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? value : throw new InvalidRequestException($"'{path}' must be an object.", path);

    public static JsonElement Array(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array ? value : throw new InvalidRequestException($"'{path}' must be an array.", path);

    /// <summary>The part's or item's <c>type</c>; <paramref name="fallback"/> when it has none.</summary>
    public static string Type(JsonElement obj, string path, string? fallback = null) => Get(obj, "type") switch
    {
        { ValueKind: JsonValueKind.Undefined } when fallback is not null => fallback,
        { ValueKind: JsonValueKind.String } type => type.GetString()!,
        _ => throw new InvalidRequestException($"'{path}.type' must be a string.", path + ".type"),
    };

    /// <summary>A number or boolean carried over as it is (the binding checks its range and type again).</summary>
    public static JsonNode Scalar(JsonElement value, string path, JsonValueKind kind)
    {
        var matches = kind == JsonValueKind.True ? value.ValueKind is JsonValueKind.True or JsonValueKind.False : value.ValueKind == kind;
        return matches ? JsonValue.Create(value)! : throw new InvalidRequestException($"'{path}' has the wrong type.", path);
    }

    /// <summary>A value carried over whole, as a node over the client's element (read only when something reads it).</summary>
    public static JsonNode? Copy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(value),
        JsonValueKind.Array => JsonArray.Create(value),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => JsonValue.Create(value),
    };

    /// <summary>The members of a client array, each with its path (<c>input[0]</c>, <c>input[1]</c>, …); one that is not an object is refused naming it.</summary>
    public static ObjectItems Objects(JsonElement array, string path) => new(array, path);

    /// <summary>Names, for <c>x-synapse-dropped-fields</c>, the members of <paramref name="obj"/> that are not in <paramref name="known"/>.</summary>
    public static void DropUnknown(JsonElement obj, string path, DroppedFields dropped, params ReadOnlySpan<string> known)
    {
        foreach (var member in obj.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.Null && !IsKnown(member, known))
            {
                dropped.AddClientName(path + ".", member.Name);
            }
        }
    }

    private static bool IsKnown(JsonProperty member, ReadOnlySpan<string> known)
    {
        foreach (var name in known)
        {
            if (member.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private static InvalidRequestException NotAString(string path, string name) => new($"'{path}.{name}' must be a string.", $"{path}.{name}");
}
