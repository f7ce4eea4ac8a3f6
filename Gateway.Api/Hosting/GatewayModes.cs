using Synapse.Configuration;

namespace Synapse.Gateway.Hosting;

public static class GatewayModes
{
    public const string AllInOne = "all-in-one";
    public const string Client = "client";

    /// <summary>
    /// <c>Synapse:Mode</c>, read while the services are composed (it decides between co-hosting a
    /// silo and joining a cluster, so it cannot wait for the options to be bound at start): the one
    /// early read of <see cref="GatewayOptions.Mode"/>, checked by the <see cref="GatewayModeValidator"/>
    /// the host runs at start, so an unknown mode stops the composition with one line naming the key.
    /// </summary>
    public static string Of(IConfiguration configuration) =>
        Normalize(OptionsReader.ReadOnly(configuration, GatewayOptions.SectionName, new GatewayModeValidator()).Mode)!;

    /// <summary>The mode as the gateway compares it (trimmed, lower case); null stays null.</summary>
    public static string? Normalize(string? mode) => mode?.Trim().ToLowerInvariant();
}
