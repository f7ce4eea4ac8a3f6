using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The <c>detail</c> of an admin event: <c>{"before":…,"after":…,…facts}</c> from an
/// <see cref="AdminAuditScope"/>. The objects handed in carry no secrets (views, never stored
/// hashes or key secrets); long texts such as system prompts are replaced by their length, so the
/// detail stays within the audit field's limit.
/// </summary>
internal static class AuditDetail
{
    private const int MaxTextLength = 160;

    // The audit writer refuses longer details; leave room for the field names.
    private const int MaxLength = 4000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Build(AdminAuditScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var detail = new JsonObject();
        if (scope.Before is not null)
        {
            detail["before"] = Shorten(JsonSerializer.SerializeToNode(scope.Before, scope.Before.GetType(), Json));
        }

        if (scope.After is not null)
        {
            detail["after"] = Shorten(JsonSerializer.SerializeToNode(scope.After, scope.After.GetType(), Json));
        }

        foreach (var (name, value) in scope.Facts)
        {
            detail[name] = Shorten(JsonSerializer.SerializeToNode(value, Json));
        }

        if (detail.Count == 0)
        {
            return null;
        }

        var text = detail.ToJsonString();
        return text.Length <= MaxLength ? text : new JsonObject { ["truncated"] = true, ["length"] = text.Length }.ToJsonString();
    }

    private static JsonNode? Shorten(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    obj[name] = Shorten(obj[name]?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Shorten(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length > MaxTextLength:
                return JsonValue.Create($"({text.Length} characters)");
            default:
                return node;
        }
    }
}
