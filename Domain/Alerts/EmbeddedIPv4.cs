using System.Buffers.Binary;
using System.Net;

namespace Synapse.Alerts;

/// <summary>
/// The IPv4 addresses an IPv6 address carries, in every standard form that a network may route to
/// the IPv4 address: a target policy that checks only the IPv6 form is bypassed by writing a
/// refused IPv4 address inside one of these.
/// </summary>
/// <remarks>
/// Forms: IPv4-mapped <c>::ffff:0:0/96</c> and IPv4-translated <c>::ffff:0:0:0/96</c> (RFC 4291,
/// RFC 2765); IPv4-compatible <c>::/96</c> (deprecated by RFC 4291, still parsed by stacks);
/// NAT64 <c>64:ff9b::/96</c> (RFC 6052) and the local-use <c>64:ff9b:1::/48</c> (RFC 8215), whose
/// operator may embed the address at any RFC 6052 prefix length, so each is tried; 6to4
/// <c>2002::/16</c> (RFC 3056); Teredo <c>2001::/32</c> (RFC 4380: server and obfuscated client);
/// ISATAP interface identifiers <c>…:0:5efe:a.b.c.d</c> and <c>…:200:5efe:a.b.c.d</c> (RFC 5214).
/// </remarks>
public static class EmbeddedIPv4
{
    public static IReadOnlyList<IPAddress> Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return [];
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var found = new List<IPAddress>();
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var word4 = BinaryPrimitives.ReadUInt16BigEndian(b[8..]);
        var word5 = BinaryPrimitives.ReadUInt16BigEndian(b[10..]);
        var word6 = BinaryPrimitives.ReadUInt16BigEndian(b[12..]);

        if (high == 0)
        {
            if (word4 == 0 && word5 == 0xffff)
            {
                found.Add(V4(b[12..]));
            }
            else if (word4 == 0xffff && word5 == 0)
            {
                found.Add(V4(b[12..]));
            }
            else if (word4 == 0 && word5 == 0 && !(word6 == 0 && b[14] == 0 && b[15] <= 1))
            {
                // ::a.b.c.d, but not :: or ::1, which are IPv6's own unspecified and loopback.
                found.Add(V4(b[12..]));
            }
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(b) == 0x0064_ff9b)
        {
            if (BinaryPrimitives.ReadUInt64BigEndian(b[4..]) == 0)
            {
                found.Add(V4(b[12..]));
            }
            else if (b[4] == 0x00 && b[5] == 0x01)
            {
                AddRfc6052(b, found);
            }
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            found.Add(V4(b[2..6]));
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            found.Add(V4(b[4..8]));
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                client[i] = (byte)~b[12 + i];
            }

            found.Add(V4(client));
        }

        if ((word4 & 0xfdff) == 0 && word5 == 0x5efe)
        {
            found.Add(V4(b[12..]));
        }

        return found;
    }

    /// <summary>RFC 6052 §2.2: the address's position for prefix lengths 48, 56, 64 and 96 (bits 64–71 are skipped).</summary>
    private static void AddRfc6052(ReadOnlySpan<byte> b, List<IPAddress> found)
    {
        found.Add(V4([b[6], b[7], b[9], b[10]]));
        found.Add(V4([b[7], b[9], b[10], b[11]]));
        found.Add(V4(b[9..13]));
        found.Add(V4(b[12..16]));
    }

    private static IPAddress V4(ReadOnlySpan<byte> bytes) => new(bytes[..4]);
}
