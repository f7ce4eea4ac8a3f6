using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synapse.Hosting.Management;

namespace Synapse.Hosting;

/// <summary>
/// Binds the addresses the process will listen on before the host starts anything, and releases
/// them. The host starts Kestrel last, after the silo, whose start installs the schema and opens
/// a partition of the audit log: a port another process listens on was found only then, and the
/// failed start logged its stack trace, stopped the silo half-started (Orleans' shutdown noise)
/// and left that partition open behind it. Each address is bound by a Kestrel server of its own,
/// on the application's transport, so it is read exactly as the real server reads it (<c>+</c>,
/// <c>*</c>, <c>localhost</c>, IPv6) rather than by a copy of Kestrel's parsing. A process that
/// takes the port in the seconds between this check and the real bind still fails the start as
/// before.
/// </summary>
internal static class ListenPreflight
{
    /// <summary>Throws an <see cref="IOException"/> naming the address and its setting around Kestrel's socket error.</summary>
    public static async Task CheckAsync(WebApplication app, CancellationToken cancellationToken)
    {
        if (app.Services.GetService<IConnectionListenerFactory>() is not { } transport)
        {
            return; // not Kestrel's sockets: nothing to bind ahead
        }

        var management = app.Services.GetService<IOptions<ManagementOptions>>()?.Value;
        foreach (var url in (app.Configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var isManagement = management?.Port is { } port && string.Equals(url, management.ListenUrl(port), StringComparison.OrdinalIgnoreCase);
            try
            {
                await BindAndReleaseAsync(app.Services, transport, url, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (Socket(e) is { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                throw new IOException($"Failed to bind to address {url} ({(isManagement ? "Synapse:Management:Port" : "urls")}): address already in use", e);
            }
            catch (Exception e) when (Socket(e) is { SocketErrorCode: SocketError.AddressNotAvailable })
            {
                throw new IOException($"Failed to bind to address {url} ({(isManagement ? "Synapse:Management:Address" : "urls")})", e);
            }
        }
    }

    private static async Task BindAndReleaseAsync(IServiceProvider services, IConnectionListenerFactory transport, string url, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { ApplicationServices = services };
        using var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        server.Features.Get<IServerAddressesFeature>()!.Addresses.Add(url);
        await server.StartAsync(new NoRequests(), cancellationToken).ConfigureAwait(false);
        await server.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SocketException? Socket(Exception e) => HostRun.PortTaken(e) ?? HostRun.AddressNotHere(e);

    /// <summary>The check's server is stopped before it could take a connection; one that slips in is closed unanswered.</summary>
    private sealed class NoRequests : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public Task ProcessRequestAsync(IFeatureCollection context) => Task.CompletedTask;

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }
    }
}
