using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

namespace Synapse.Gateway.Hosting;

/// <summary>The front end's own settings, bound from <c>Synapse</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Synapse";

    /// <summary>
    /// <c>all-in-one</c> (co-hosts a silo; the default) or <c>client</c> (joins a cluster), read
    /// while the services are composed (<see cref="GatewayModes.Of"/>).
    /// </summary>
    public string Mode { get; set; } = GatewayModes.AllInOne;

    /// <summary>The largest request body accepted on <c>/v1</c>, in bytes.</summary>
    [Range(typeof(long), "1", "1073741824", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true, ErrorMessage = OptionsMessages.Between)]
    public long MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
}
