namespace Synapse.Hosting;

/// <summary>
/// Whether this process can reach its cluster right now: in client mode, whether the Orleans
/// client holds a connection to at least one gateway (silo); a process that hosts a silo always
/// can. The front end answers 503 at once while it cannot, instead of letting a call wait out its
/// timeout, and <c>/healthz/ready</c> reports it.
/// </summary>
public sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private int _gateways;

    private ClusterConnection(bool hostsSilo) => HostsSilo = hostsSilo;

    /// <summary>True in a process that co-hosts a silo (all-in-one, or a silo).</summary>
    public bool HostsSilo { get; }

    public bool IsConnected => HostsSilo || Volatile.Read(ref _gateways) > 0;

    /// <summary>The gateways the client is connected to (0 in a process that hosts a silo).</summary>
    public int Gateways => Volatile.Read(ref _gateways);

    public static ClusterConnection ForClient() => new(hostsSilo: false);

    public static ClusterConnection ForSilo() => new(hostsSilo: true);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _gateways, currentNumberOfGateways);

    public void NotifyClusterConnectionLost() => Volatile.Write(ref _gateways, 0);
}
