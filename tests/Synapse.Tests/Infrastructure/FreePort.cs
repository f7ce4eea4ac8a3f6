using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Free loopback TCP ports for servers that need a fixed port before they start (Orleans silo and
/// gateway endpoints, PostgreSQL, a webhook receiver restarted on the same address).
/// </summary>
/// <remarks>
/// A port found by binding port 0 comes from the kernel's ephemeral range, which every outgoing
/// connection (HTTP clients, Npgsql, Orleans) also draws from, so between finding it and binding it
/// again a client socket can take it: that race failed a CI run. Ports are handed out from just
/// below the ephemeral range instead, where no client socket ever lands, from one counter per test
/// process, each checked before it is returned.
/// </remarks>
internal static class FreePort
{
    private const int RangeSize = 10_000;
    private static readonly int RangeStart = EphemeralRangeStart() - RangeSize;
    private static int _offset = Random.Shared.Next(RangeSize);

    public static int Next()
    {
        for (var attempt = 0; attempt < RangeSize; attempt++)
        {
            var port = RangeStart + (int)((uint)Interlocked.Increment(ref _offset) % RangeSize);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {RangeStart} and {RangeStart + RangeSize}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        const string Linux = "/proc/sys/net/ipv4/ip_local_port_range";
        const int IanaDefault = 49_152;
        if (!File.Exists(Linux))
        {
            return IanaDefault;
        }

        var first = File.ReadAllText(Linux).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];
        var start = int.Parse(first, CultureInfo.InvariantCulture);
        return start > RangeSize + 1024 ? start : IanaDefault;
    }
}
