using Synapse.Providers;

namespace Synapse.Routing;

/// <summary>
/// <c>Synapse:Providers</c>: each child section is one provider, keyed by the name requests and
/// the audit log use for it. Bound once and checked at start by <see cref="ProviderCatalogValidator"/>.
/// </summary>
internal sealed class ProviderCatalogOptions : Dictionary<string, ProviderOptions>
{
    public ProviderCatalogOptions()
        : base(StringComparer.Ordinal)
    {
    }
}
