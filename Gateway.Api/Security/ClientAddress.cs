using System.Net;
using System.Net.Sockets;

namespace Synapse.Gateway.Security;

/// <summary>
/// The client's address as the connection shows it — never a header, which the client could write.
/// Behind a reverse proxy this is the proxy's address.
/// </summary>
internal static class ClientAddress
{
    /// <summary>The address for an audit row: IPv4 when the socket was dual-mode, else as is.</summary>
    public static string? Of(HttpContext context) => Normalize(context.Connection.RemoteIpAddress)?.ToString();

    /// <summary>
    /// Whom failures are counted against: an IPv4 address, or an IPv6 /64, because one subscriber
    /// is routinely handed a whole /64 and could otherwise step through 2^64 fresh addresses.
    /// </summary>
    public static string SourceOf(HttpContext context)
    {
        var address = Normalize(context.Connection.RemoteIpAddress);
        if (address is null)
        {
            return "unknown";
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>The <c>User-Agent</c>, cut to what an audit field holds and without control characters.</summary>
    public static string? UserAgent(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        if (agent.Length == 0)
        {
            return null;
        }

        var clean = new string([.. agent.Where(c => !char.IsControl(c)).Take(256)]);
        return clean.Length == 0 ? null : clean;
    }
}
