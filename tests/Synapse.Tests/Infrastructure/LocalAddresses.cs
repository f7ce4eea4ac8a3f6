using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Xunit;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// This machine's own addresses, for tests that show a port listens on one address and not on
/// another: loopback, and an address of another interface.
/// </summary>
internal static class LocalAddresses
{
    /// <summary>
    /// An address of an interface that is up, neither loopback nor link-local (which needs a scope
    /// to dial); a machine without one cannot show that a port is closed elsewhere, and the test
    /// fails saying so.
    /// </summary>
    public static IPAddress OtherThanLoopback(AddressFamily family)
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == family && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal);
        if (address is null)
        {
            Assert.Fail($"This machine has no {family} address besides loopback (and link-local): the test cannot show that a port refuses connections on another address.");
        }

        return address;
    }

    /// <summary>A TCP connection to <paramref name="address"/>:<paramref name="port"/>; a refused one throws <see cref="SocketException"/>.</summary>
    public static async Task<Socket> ConnectAsync(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Asserts that nothing listens on <paramref name="address"/>:<paramref name="port"/>: the connection is refused.</summary>
    public static async Task AssertRefusedAsync(IPAddress address, int port)
    {
        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(address, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    public static string HttpUrl(IPAddress address, int port) => $"http://{new IPEndPoint(address, port)}";
}
