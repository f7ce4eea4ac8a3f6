using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Synapse.Hosting;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// A clustered silo's Orleans endpoints as Orleans reads them: its silo and gateway ports listen on
/// <c>Synapse:Orleans:ListenAddress</c> (every IPv4 interface when unset) while it keeps advertising
/// <c>AdvertisedAddress</c>; an address this machine does not have stops the start naming the key.
/// </summary>
public sealed class ClusteredSiloEndpointsTests
{
    [Fact]
    public void Unset_TheSiloAndGatewayPortsListenOnEveryInterface()
    {
        var endpoints = Endpoints(new() { ["Synapse:Orleans:SiloPort"] = "21111", ["Synapse:Orleans:GatewayPort"] = "23000" });

        Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 23000), endpoints.GatewayListeningEndpoint);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("127.0.0.1")]
    [InlineData("fd00::2")]
    public void Set_TheSiloAndGatewayPortsListenThere_AndTheAdvertisedAddressStays(string address)
    {
        var endpoints = Endpoints(new()
        {
            ["Synapse:Orleans:ListenAddress"] = address,
            ["Synapse:Orleans:AdvertisedAddress"] = "10.0.0.9",
            ["Synapse:Orleans:SiloPort"] = "21111",
            ["Synapse:Orleans:GatewayPort"] = "23000",
        });

        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), 21111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), 23000), endpoints.GatewayListeningEndpoint);
        Assert.Equal(IPAddress.Parse("10.0.0.9"), endpoints.AdvertisedIPAddress);
        Assert.Equal(21111, endpoints.SiloPort);
        Assert.Equal(23000, endpoints.GatewayPort);
    }

    [Fact]
    public void AHostName_IsRefused_WhenOrleansFirstAsksForItsEndpoints()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Endpoints(new() { ["Synapse:Orleans:ListenAddress"] = "silo-1" }));

        Assert.Contains("Synapse:Orleans:ListenAddress must be an IP address", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A real bind, as the silo's start makes it: TEST-NET-3 is on no interface of any machine.</summary>
    [Fact]
    public void AnAddressThisMachineDoesNotHave_StopsTheStart_NamingTheKey()
    {
        var endpoints = Endpoints(new() { ["Synapse:Orleans:ListenAddress"] = "203.0.113.7", ["Synapse:Orleans:SiloPort"] = "21111", ["Synapse:Orleans:GatewayPort"] = "23000" });

        var error = Assert.Throws<IOException>(() => OrleansPortCheck.Check(endpoints));

        Assert.Equal("Failed to bind to 203.0.113.7:21111 (Synapse:Orleans:ListenAddress)", error.Message);
        Assert.Equal(SocketError.AddressNotAvailable, HostRun.AddressNotHere(new AggregateException(error))?.SocketErrorCode);
        Assert.Null(HostRun.PortTaken(error));
    }

    private static EndpointOptions Endpoints(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSynapseOrleansOptions(configuration)
            .AddClusteredSiloEndpoints()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }
}
