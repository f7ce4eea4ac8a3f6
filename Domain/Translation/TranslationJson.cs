using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Translation;

/// <summary>Reads a client's body for translation; every complaint names the client's field.</summary>
internal static class TranslationJson
{
    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static string String(JsonNode? node, string path) =>
        IsString(node) ? node!.GetValue<string>() : throw new InvalidRequestException($"'{path}' must be a string.", path);

    public static string? OptionalString(JsonObject obj, string name, string path) =>
        obj[name] is null ? null : String(obj[name], path + "." + name);

    public static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw new InvalidRequestException($"'{path}' must be an object.", path);

    public static JsonArray Array(JsonNode? node, string path) =>
        node as JsonArray ?? throw new InvalidRequestException($"'{path}' must be an array.", path);

    /// <summary>The part's or item's <c>type</c>; <paramref name="fallback"/> when it has none.</summary>
    public static string Type(JsonObject obj, string path, string? fallback = null) => obj["type"] switch
    {
        null when fallback is not null => fallback,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new InvalidRequestException($"'{path}.type' must be a string.", path + ".type"),
    };

    /// <summary>A number or boolean copied as it is (the binding checks its range and type again).</summary>
    public static JsonNode Scalar(JsonNode node, string path, JsonValueKind kind)
    {
        var actual = node.GetValueKind();
        var matches = kind == JsonValueKind.True ? actual is JsonValueKind.True or JsonValueKind.False : actual == kind;
        return matches ? node.DeepClone() : throw new InvalidRequestException($"'{path}' has the wrong type.", path);
    }

    /// <summary>Names, for <c>x-synapse-dropped-fields</c>, the keys of <paramref name="obj"/> that are not in <paramref name="known"/>.</summary>
    public static void DropUnknown(JsonObject obj, string path, DroppedFields dropped, params ReadOnlySpan<string> known)
    {
        foreach (var (name, value) in obj)
        {
            if (value is not null && !known.Contains(name))
            {
                dropped.Add(path + "." + DroppedFields.Name(name));
            }
        }
    }

    /// <summary>A tool call's arguments as the client's object: parsed when they are JSON, else the raw text under one key.</summary>
    public static JsonNode ArgumentsObject(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? new JsonObject { ["arguments"] = arguments };
        }
        catch (JsonException)
        {
            return new JsonObject { ["arguments"] = arguments };
        }
    }
}
