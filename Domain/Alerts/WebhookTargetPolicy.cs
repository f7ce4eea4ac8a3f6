using System.Net;
using System.Net.Sockets;

namespace Synapse.Alerts;

/// <summary>
/// Which webhook targets are refused: link-local addresses (169.254.0.0/16, fe80::/10) and cloud
/// metadata endpoints, whether written in the URL or reached through DNS. Loopback and private
/// networks stay allowed (tests, on-prem receivers). Checked when the configuration is read and
/// again for every resolved address at connect time (see <see cref="Delivery.WebhookConnector"/>).
/// </summary>
public static class WebhookTargetPolicy
{
    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata.goog", "metadata"];

    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"),
        IPAddress.Parse("fd00:ec2::254"),
        // Alibaba Cloud's metadata endpoint is outside link-local space.
        IPAddress.Parse("100.100.100.200"),
    ];

    public static bool IsRefusedHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.');
        return MetadataHosts.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    public static bool IsRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (MetadataAddresses.Contains(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] == 169 && bytes[1] == 254;
        }

        return address.IsIPv6LinkLocal;
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
            ? "is a link-local or cloud metadata address, which is refused"
            : null;
    }
}
