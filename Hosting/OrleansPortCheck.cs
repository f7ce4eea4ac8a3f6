using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// Stops a silo from starting on a port another process listens on. Orleans marks its listening
/// sockets reusable (<c>SO_REUSEADDR</c>, which .NET on Linux sets together with
/// <c>SO_REUSEPORT</c>), so a second silo on the same port — a second copy started by hand on one
/// host — binds without an error: the kernel then deals connections between the two at random,
/// and membership takes the older silo for dead. Before Orleans binds, each of its listening
/// endpoints is bound here once with <c>SO_REUSEADDR</c> alone, which Linux refuses while another
/// socket listens there but allows over connections left in <c>TIME_WAIT</c> (a silo restarted at
/// once still starts), and released. A taken port ends the start like any other taken port
/// (<see cref="HostRun"/>: one line, exit code 2).
/// </summary>
internal sealed class OrleansPortCheck(IOptions<EndpointOptions> endpoints) : ILifecycleParticipant<ISiloLifecycle>
{
    // Linux's values (asm-generic/socket.h); the BCL's ReuseAddress would add SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrleansPortCheck), ServiceLifecycleStage.First, _ =>
        {
            Check(endpoints.Value);
            return Task.CompletedTask;
        });

    /// <summary>Throws when the silo's or the gateway's listening endpoint is taken.</summary>
    internal static void Check(EndpointOptions options)
    {
        EnsureFree(options.SiloListeningEndpoint ?? new IPEndPoint(options.AdvertisedIPAddress, options.SiloPort), "Synapse:Orleans:SiloPort");
        if (options.GatewayPort != 0)
        {
            EnsureFree(options.GatewayListeningEndpoint ?? new IPEndPoint(options.AdvertisedIPAddress, options.GatewayPort), "Synapse:Orleans:GatewayPort");
        }
    }

    /// <remarks>An address no interface has (<c>Synapse:Orleans:ListenAddress</c>) is named here too: Orleans would say only "cannot assign requested address".</remarks>
    private static void EnsureFree(IPEndPoint endpoint, string setting)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }

        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new IOException($"Failed to bind to {endpoint} ({setting}): address already in use", e);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new IOException($"Failed to bind to {endpoint} (Synapse:Orleans:ListenAddress)", e);
        }
    }
}
