using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Distinct client addresses on one machine: Linux routes all of 127.0.0.0/8 to the loopback
/// interface, so a socket bound to 127.77.x.y reaches a server on 127.0.0.1 and the server sees
/// 127.77.x.y. Tests that depend on the client's address (the per-address throttle, aggregated
/// audit rows) each take their own, so they neither share a limit nor a row.
/// </summary>
public static class LoopbackSource
{
    private static int _next;

    public static IPAddress Next()
    {
        var n = Interlocked.Increment(ref _next);
        return new IPAddress([127, 77, (byte)(n / 250), (byte)((n % 250) + 1)]);
    }

    /// <summary>An HTTP client whose connections come from <paramref name="source"/>.</summary>
    public static HttpClient Client(Uri baseAddress, IPAddress source, string? bearer = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }
}
