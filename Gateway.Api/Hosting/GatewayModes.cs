using Microsoft.Extensions.Configuration;
using Synapse.Hosting;

namespace Synapse.Gateway.Hosting;

public static class GatewayModes
{
    public const string AllInOne = "all-in-one";
    public const string Client = "client";

    /// <summary>
    /// <c>Synapse:Mode</c>, read while the services are composed (it decides between co-hosting a
    /// silo and joining a cluster, so it cannot wait for the options to be bound at start); an
    /// unknown mode stops the start with one line naming the key.
    /// </summary>
    public static string Of(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Mode)}"];
        var mode = (configured ?? AllInOne).Trim().ToLowerInvariant();
        return mode is AllInOne or Client
            ? mode
            : throw new StartupConfigurationException($"Synapse:Mode must be '{AllInOne}' or '{Client}', not '{configured}'.");
    }
}
