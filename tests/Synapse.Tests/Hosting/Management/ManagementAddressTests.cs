using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting.Management;

/// <summary>
/// <c>Synapse:Management:Address</c> on a running front end: its management port (health and
/// metrics, without credentials) answers on the address it is kept to and accepts no connection on
/// another address of this machine, while the front end's own port, listening there too, shows that
/// address is reachable; unset, a front end's management port stays on loopback, as its API does
/// by default, and <c>0.0.0.0</c> opens it to every interface.
/// </summary>
public sealed class ManagementAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressFamily.InterNetwork)]
    [InlineData("::1", AddressFamily.InterNetworkV6)]
    public async Task KeptToLoopback_TheManagementPortAnswersThere_AndRefusesAnotherAddressOfThisMachine(string address, AddressFamily family)
    {
        var other = LocalAddresses.OtherThanLoopback(family);
        var (gatewayPort, managementPort) = (FreePort.Next(), FreePort.Next());
        var settings = new Dictionary<string, string?>
        {
            ["Synapse:Management:Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["Synapse:Management:Address"] = address,
        };
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>(settings)
        {
            ["urls"] = $"http://127.0.0.1:{gatewayPort};{LocalAddresses.HttpUrl(other, gatewayPort)}",
        });

        // The path ran: the management port is up, on its address, where the container healthcheck asks too.
        using var management = new HttpClient { BaseAddress = new Uri(LocalAddresses.HttpUrl(IPAddress.Parse(address), managementPort)) };
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/live")).StatusCode);
        var health = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, gateway.DataDirectory, "health");
        Assert.True(health.ExitCode == 0, $"exit code {health.ExitCode}: {health.Output}{health.Errors}");

        // The other address is one this test reaches, and the front end listens on: its own port answers there.
        using (var reachable = await LocalAddresses.ConnectAsync(other, gatewayPort))
        {
            Assert.True(reachable.Connected);
        }

        await LocalAddresses.AssertRefusedAsync(other, managementPort);
    }

    [Fact]
    public async Task Unset_OnAFrontEnd_TheManagementPortStaysOnThisMachine_LikeTheApiItself()
    {
        var other = LocalAddresses.OtherThanLoopback(AddressFamily.InterNetwork);
        var (gatewayPort, managementPort) = (FreePort.Next(), FreePort.Next());
        var settings = new Dictionary<string, string?> { ["Synapse:Management:Port"] = managementPort.ToString(CultureInfo.InvariantCulture) };
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>(settings)
        {
            ["urls"] = $"http://127.0.0.1:{gatewayPort};{LocalAddresses.HttpUrl(other, gatewayPort)}",
        });

        // The path ran: the management port answers on loopback, where the health command asks.
        using var management = new HttpClient { BaseAddress = new Uri(LocalAddresses.HttpUrl(IPAddress.Loopback, managementPort)) };
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/live")).StatusCode);
        var health = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, gateway.DataDirectory, "health");
        Assert.True(health.ExitCode == 0, $"exit code {health.ExitCode}: {health.Output}{health.Errors}");

        using (var reachable = await LocalAddresses.ConnectAsync(other, gatewayPort))
        {
            Assert.True(reachable.Connected);
        }

        await LocalAddresses.AssertRefusedAsync(other, managementPort);
    }

    [Fact]
    public async Task SetToEveryInterface_TheManagementPortAnswersOnAnotherAddressOfThisMachine()
    {
        var other = LocalAddresses.OtherThanLoopback(AddressFamily.InterNetwork);
        var managementPort = FreePort.Next();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:Management:Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["Synapse:Management:Address"] = "0.0.0.0",
        });

        using var management = new HttpClient { BaseAddress = new Uri(LocalAddresses.HttpUrl(other, managementPort)) };
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/live")).StatusCode);
    }

    [Fact]
    public async Task TheHealthCommand_WithABadAddress_SaysWhichSetting_AndFails()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new Dictionary<string, string?> { ["Synapse:Management:Port"] = "9464", ["Synapse:Management:Address"] = "localhost" };

        var (exitCode, output, errors) = await ChildProcess.RunAsync(SiloProcess.Assembly, settings, dataDirectory, "health");

        Assert.True(exitCode == 1, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith("Synapse:Management:Address must be an IP address", errors.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors.Trim());
    }
}
