using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;

namespace Synapse.Routing;

/// <summary>A configured provider with its location parsed.</summary>
public sealed record ProviderRoute(string Name, ProviderLocation Location, ProviderOptions Options)
{
    public bool Serves(string model) => Options.Models.Contains(model, StringComparer.Ordinal);
}
