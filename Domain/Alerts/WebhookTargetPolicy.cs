using System.Net;
using System.Net.Sockets;

namespace Synapse.Alerts;

/// <summary>
/// Which webhook targets are refused: addresses that reach the cloud platform or the host itself
/// rather than a receiver — link-local space (every provider's metadata service at 169.254.169.254,
/// ECS task metadata, fe80::/10), the providers' other metadata and platform endpoints (Azure's
/// WireServer, Alibaba's metadata, AWS's and Google's IPv6 metadata), <c>0.0.0.0/8</c> (which Linux
/// connects to the local host) and <c>192.0.0.0/24</c> (IETF protocol assignments) — whether
/// written in the URL, reached through DNS, or wrapped in any IPv6 form that carries an IPv4
/// address (<see cref="EmbeddedIPv4"/>). Loopback and private networks stay allowed (tests, on-prem
/// receivers). Checked when the configuration is read and again for every resolved address at
/// connect time (see <see cref="Delivery.WebhookConnector"/>).
/// </summary>
public static class WebhookTargetPolicy
{
    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata.goog", "metadata"];

    private static readonly IPNetwork[] RefusedIPv4 =
    [
        // "This network": 0.0.0.0 and its neighbours reach the local host on Linux.
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        // IETF protocol assignments (DS-Lite, NAT64 discovery, …): never a webhook receiver.
        IPNetwork.Parse("192.0.0.0/24"),
        // Azure's WireServer (platform agent and DNS), reachable from every Azure VM.
        IPNetwork.Parse("168.63.129.16/32"),
        // Alibaba Cloud's metadata endpoint, outside link-local space.
        IPNetwork.Parse("100.100.100.200/32"),
        IPNetwork.Parse("255.255.255.255/32"),
    ];

    private static readonly IPNetwork[] RefusedIPv6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("fe80::/10"),
        // AWS's IPv6 instance services: metadata (fd00:ec2::254), DNS, NTP.
        IPNetwork.Parse("fd00:ec2::/32"),
        // Google Compute Engine's IPv6 metadata server.
        IPNetwork.Parse("fd20:ce::254/128"),
    ];

    public static bool IsRefusedHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.');
        return MetadataHosts.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when <paramref name="address"/> is refused itself or when any IPv4 address it carries
    /// (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo, ISATAP) would be.
    /// </summary>
    public static bool IsRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsRefusedIPv4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }

        // A scope id (fe80::1%eth0) does not change which network the address is in.
        var unscoped = new IPAddress(address.GetAddressBytes());
        return RefusedIPv6.Any(n => n.Contains(unscoped)) || EmbeddedIPv4.Of(unscoped).Any(IsRefusedIPv4);
    }

    /// <summary>Null when <paramref name="url"/> is an acceptable target, else why not (without the URL, which may hold a token).</summary>
    public static string? Check(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "must be an absolute http or https URL";
        }

        if (IsRefusedHost(uri.IdnHost))
        {
            return "is a cloud metadata host, which is refused";
        }

        return IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && IsRefused(address)
            ? "is a link-local, cloud metadata or platform address, which is refused"
            : null;
    }

    private static bool IsRefusedIPv4(IPAddress address) => RefusedIPv4.Any(n => n.Contains(address));
}
