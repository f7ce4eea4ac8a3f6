
namespace Synapse.Binding;

/// <summary>
/// Fields some SDKs and proxies use to redirect a request. The key's binding alone decides the
/// route, so a body that tries is refused outright rather than silently corrected.
/// </summary>
internal static class ForbiddenFields
{
    public static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "api_base", "base_url", "api_key", "api_version", "api_type", "extra_headers", "extra_body",
        "extra_query", "headers", "provider", "custom_llm_provider", "deployment_id", "organization",
        "route", "fallbacks", "upstream",
    };

    public static void Reject(System.Text.Json.Nodes.JsonObject body)
    {
        foreach (var (name, _) in body)
        {
            if (Names.Contains(name))
            {
                throw new InvalidRequestException($"The field '{name}' is not accepted: the key's binding decides where requests go.", name);
            }
        }
    }
}
