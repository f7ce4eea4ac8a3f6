using System.Diagnostics;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers;
using Synapse.Routing;

namespace Synapse.Telemetry;

/// <summary>
/// What a provider call is tagged with, in OpenTelemetry's GenAI vocabulary plus the configured
/// provider's name and location. The model is one the provider serves (the request was routed).
/// </summary>
public sealed record ProviderCallTags(string Operation, string ProviderType, string ProviderName, string Location, string Model)
{
    public static ProviderCallTags Of(ProviderCall call, ProviderRoute? route)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(
            call.Operation == RequestOperation.Embeddings ? "embeddings" : "chat",
            SemanticProviderName(route?.Options.Type),
            route?.Name ?? call.Provider,
            route?.Location == ProviderLocation.Cloud ? "cloud" : "on-prem",
            call.Model);
    }

    public TagList ToTagList() => new()
    {
        { "gen_ai.operation.name", Operation },
        { "gen_ai.provider.name", ProviderType },
        { "gen_ai.request.model", Model },
        { "synapse.provider.name", ProviderName },
        { "synapse.provider.location", Location },
    };

    /// <summary>The semantic conventions' well-known <c>gen_ai.provider.name</c> values where one exists.</summary>
    private static string SemanticProviderName(string? type) => type switch
    {
        ProviderTypes.Gemini => "gcp.gemini",
        ProviderTypes.AzureOpenAi => "azure.ai.openai",
        null => "unknown",
        _ => type,
    };
}
