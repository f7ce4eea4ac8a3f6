namespace Synapse.Gateway.Hosting;

/// <summary>The front end's own settings, bound from <c>Synapse</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Synapse";

    /// <summary><c>all-in-one</c> (co-hosts a silo; the default) or <c>client</c> (joins a cluster).</summary>
    public string Mode { get; set; } = GatewayModes.AllInOne;

    /// <summary>The largest request body accepted on <c>/v1</c>, in bytes.</summary>
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
}
