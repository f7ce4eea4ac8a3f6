using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Cluster;

/// <summary>
/// A headless silo kept to loopback (<c>Synapse:Orleans:ListenAddress</c>,
/// <c>Synapse:Management:Address</c>): it joins its cluster and a front end reaches it through its
/// gateway port, and none of its three ports accepts a connection on another address of this machine.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class SiloListenAddressTests(PostgresServer postgres) : ClusterTest(postgres)
{
    [Fact]
    public async Task ASiloKeptToLoopback_ServesItsCluster_AndListensOnNoOtherAddress()
    {
        var other = LocalAddresses.OtherThanLoopback(AddressFamily.InterNetwork);
        var silo = await SiloProcess.StartAsync(new Dictionary<string, string?>(Settings)
        {
            ["Synapse:Orleans:ListenAddress"] = "127.0.0.1",
            ["Synapse:Management:Address"] = "127.0.0.1",
        });
        Running.Add(silo);
        var frontEnd = await GatewayProcess.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);

        // The path ran: a front end is ready through the silo's gateway port, and its management port answers.
        await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var management = new HttpClient { BaseAddress = new Uri(LocalAddresses.HttpUrl(IPAddress.Loopback, silo.ManagementPort)) };
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/live")).StatusCode);
        var gatewayPort = int.Parse(silo.Settings["Synapse:Orleans:GatewayPort"]!, CultureInfo.InvariantCulture);
        foreach (var port in new[] { silo.SiloPort, gatewayPort, silo.ManagementPort })
        {
            using var reachable = await LocalAddresses.ConnectAsync(IPAddress.Loopback, port);
        }

        foreach (var port in new[] { silo.SiloPort, gatewayPort, silo.ManagementPort })
        {
            await LocalAddresses.AssertRefusedAsync(other, port);
        }
    }
}
