using System.Net;
using System.Net.Sockets;

namespace Synapse.Tests.Infrastructure;

/// <summary>Free loopback TCP ports, for the Orleans endpoints of each in-process silo.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
