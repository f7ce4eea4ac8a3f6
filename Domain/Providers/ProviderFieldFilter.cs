using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Providers;

/// <summary>
/// Leaves out of a bound body the fields a provider type does not take (vendor sampling
/// parameters for OpenAI and Azure OpenAI, which refuse unknown parameters). The binding reports
/// them as dropped for the route's first provider; this keeps a failover to another type correct.
/// </summary>
internal static class ProviderFieldFilter
{
    public static byte[] For(string providerType, byte[] body)
    {
        if (!HasFieldNotTaken(providerType, body))
        {
            return body;
        }

        var json = JsonNode.Parse(body)!.AsObject();
        foreach (var name in json.Select(p => p.Key).Where(n => ChatRequestFields.Rules.ContainsKey(n) && !ChatRequestFields.ProviderTakes(providerType, n)).ToList())
        {
            json.Remove(name);
        }

        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>Looks at top-level property names only, without building a document (bodies can hold images).</summary>
    private static bool HasFieldNotTaken(string providerType, ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (ChatRequestFields.Rules.ContainsKey(name) && !ChatRequestFields.ProviderTakes(providerType, name))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
