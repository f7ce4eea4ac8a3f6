using System.Net;
using System.Net.Sockets;

namespace Synapse.Hosting;

/// <summary>Cluster identity and endpoints, bound from <c>Synapse:Orleans</c>.</summary>
public sealed class SynapseOrleansOptions
{
    public const string SectionName = "Synapse:Orleans";

    public string ClusterId { get; set; } = "synapse";

    public string ServiceId { get; set; } = "synapse";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients use to reach this silo: an IP, a host name, or
    /// <c>auto</c> for this machine's host name (what a container behind compose wants).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a grain call may take. Provider calls run inside grain calls and a model can take
    /// minutes to answer, so this is far above Orleans' 30 s default.
    /// </summary>
    public int ResponseTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// How long a client-mode front end keeps trying to reach a silo when it starts. Compose
    /// starts front ends and silos together, so the first attempts usually find no silo yet.
    /// </summary>
    public int ConnectTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// Whether the silo collects statistics for the Orleans dashboard (served at <c>/dashboard</c>).
    /// It samples silo statistics every 5 s and times grain calls only while the dashboard is open
    /// (<see cref="SiloFootprint"/>); turn it off to save its memory (about 55 MB).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    public IPAddress ResolveAdvertisedAddress()
    {
        if (IPAddress.TryParse(AdvertisedAddress, out var ip))
        {
            return ip;
        }

        var host = string.Equals(AdvertisedAddress, "auto", StringComparison.OrdinalIgnoreCase) ? Dns.GetHostName() : AdvertisedAddress;
        return Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"{SectionName}:AdvertisedAddress '{AdvertisedAddress}' does not resolve to an IPv4 address.");
    }
}
