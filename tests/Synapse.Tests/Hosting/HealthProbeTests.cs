using System.Net;
using Microsoft.Extensions.Configuration;
using Synapse.Hosting.Health;

namespace Synapse.Tests.Hosting;

/// <summary>The <c>health</c> command answers 0 or 1, whatever its settings hold: a container's healthcheck reads nothing else.</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task ASettingsFileThatDoesNotParse_IsExitCode1_NotAnUnhandledException()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-health-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), "{ \"urls\": ");
        var asked = false;

        var exitCode = await HealthProbe.RunAsync(
            () => new ConfigurationBuilder().SetBasePath(directory).AddJsonFile("appsettings.json", optional: true).Build(),
            _ =>
            {
                asked = true;
                return new IPEndPoint(IPAddress.Loopback, 1);
            });

        Assert.Equal(1, exitCode);
        Assert.False(asked);
    }

    [Fact]
    public async Task NothingListening_IsExitCode1()
    {
        // The path that runs when the settings are good: it reaches the endpoint and finds nothing there.
        var exitCode = await HealthProbe.RunAsync(() => new ConfigurationBuilder().Build(), _ => new IPEndPoint(IPAddress.Loopback, 1));

        Assert.Equal(1, exitCode);
    }
}
