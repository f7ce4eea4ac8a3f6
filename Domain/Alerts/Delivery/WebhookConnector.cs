using System.Net;
using System.Net.Sockets;

namespace Synapse.Alerts.Delivery;

/// <summary>
/// The webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself,
/// refuses the connection if any resolved address is link-local or cloud metadata, and connects to
/// the addresses it checked. Checking what is actually dialled defeats DNS rebinding (a name that
/// passed the configuration check and later resolves to 169.254.169.254).
/// </summary>
public sealed class WebhookConnector(Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ConnectAsync(context.DnsEndPoint, cancellationToken);
    }

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var addresses = await ResolveAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses to dial; throws <see cref="WebhookTargetRefusedException"/> when any is refused.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (WebhookTargetPolicy.IsRefusedHost(host))
        {
            throw new WebhookTargetRefusedException();
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken).ConfigureAwait(false);

        // One bad address refuses the name: a resolver mixing public and metadata answers is an attack.
        if (addresses.Length == 0 || addresses.Any(WebhookTargetPolicy.IsRefused))
        {
            throw new WebhookTargetRefusedException();
        }

        return addresses;
    }
}
