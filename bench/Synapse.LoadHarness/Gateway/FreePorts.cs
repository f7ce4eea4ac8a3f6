using System.Net;
using System.Net.Sockets;

namespace Synapse.LoadHarness.Gateway;

internal static class FreePorts
{
    /// <summary>
    /// Ports the OS hands out as free right now, all distinct. Another process could take one
    /// before the gateway binds it; the gateway then fails to start and the harness says so.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
