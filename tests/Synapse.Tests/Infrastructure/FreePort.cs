using System.Net;
using System.Net.Sockets;

namespace Synapse.Tests.Infrastructure;

/// <summary>Free loopback TCP ports, so tests that run side by side never share silo or gateway ports.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
