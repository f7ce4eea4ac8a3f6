using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Synapse.Hosting;

/// <summary>
/// The address a port listens on, as an operator sets it (<c>Synapse:Management:Address</c>,
/// <c>Synapse:Orleans:ListenAddress</c>): an IP literal, or unset for every interface. A host
/// name is refused rather than resolved: it can stand for several addresses, or none, by the time
/// the port is bound, and the point of the setting is to know exactly where the port is open.
/// </summary>
public static class ListenAddress
{
    /// <summary>What the settings' messages show as examples.</summary>
    public const string Examples = "such as 127.0.0.1, 10.0.0.5 or ::1 (0.0.0.0 or :: for every interface)";

    /// <summary>
    /// <paramref name="text"/> as an IP address, written as one: <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// alone would take <c>10</c> for 0.0.0.10, <c>010.0.0.1</c> for 8.0.0.1 and <c>[::1]:80</c>
    /// for ::1, dropping the port.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        var literal = parsed.AddressFamily switch
        {
            AddressFamily.InterNetwork => parsed.ToString() == text,
            AddressFamily.InterNetworkV6 => text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'),
            _ => false,
        };
        address = literal ? parsed : null;
        return literal;
    }

    /// <summary>The validated setting's address, or null when it is unset (every interface).</summary>
    public static IPAddress? Parse(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : TryParse(text, out var address) ? address
        : throw new FormatException($"'{text}' is not an IP address {Examples}.");

    /// <summary>
    /// The Kestrel URL for <paramref name="port"/> on the address <paramref name="text"/>; unset,
    /// <c>+</c>: every interface, IPv6 and IPv4 alike, as before the setting existed.
    /// </summary>
    public static string HttpUrl(string? text, int port) => Parse(text) switch
    {
        null => string.Create(CultureInfo.InvariantCulture, $"http://+:{port}"),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => string.Create(CultureInfo.InvariantCulture, $"http://[{v6}]:{port}"),
        var v4 => string.Create(CultureInfo.InvariantCulture, $"http://{v4}:{port}"),
    };

    /// <summary>
    /// Where a process on this machine reaches a port listening on <paramref name="text"/>: the
    /// address itself, or loopback when the port listens on every interface.
    /// </summary>
    public static IPAddress Dialable(string? text) => Parse(text) switch
    {
        null => IPAddress.Loopback,
        var any when any.Equals(IPAddress.Any) => IPAddress.Loopback,
        var any when any.Equals(IPAddress.IPv6Any) => IPAddress.IPv6Loopback,
        var address => address,
    };
}
