using System.Globalization;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// One all-in-one gateway per data directory: a second one on the same SQLite database would keep
/// its own revocations and rate limits, so a key revoked on one would keep working on the other.
/// </summary>
public sealed class DataDirectoryLockTests
{
    [Fact]
    public void Acquire_WhileAnotherHolderHasTheDirectory_IsRefusedNamingTheDirectoryAndTheHolder_AndSucceedsOnceItIsReleased()
    {
        var directory = NewDataDirectory();
        Directory.CreateDirectory(directory);

        using (DataDirectoryLock.Acquire(directory))
        {
            var error = Assert.Throws<StartupConfigurationException>(() => DataDirectoryLock.Acquire(directory));

            Assert.StartsWith($"Synapse:DataDirectory '{directory}' is in use by another all-in-one gateway (process {Environment.ProcessId}):", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }

        using var again = DataDirectoryLock.Acquire(directory);
    }

    [Fact]
    public void Acquire_InADirectoryNoOneCanWrite_IsRefusedNamingTheSetting()
    {
        // Root writes anywhere a mode forbids it: procfs refuses everyone.
        var error = Assert.Throws<StartupConfigurationException>(() => DataDirectoryLock.Acquire("/proc"));

        Assert.StartsWith("Synapse:DataDirectory '/proc' cannot be used: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The real entry point, in processes of its own; the lock goes with its holder, however it ends.</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public async Task ASecondGateway_OnADataDirectoryALiveOneHolds_EndsWithOneLineAndExitCode2_AndOneStartsOnceTheHolderIsGone()
    {
        var dataDirectory = NewDataDirectory();
        await using var first = await GatewayProcess.StartAsync(Settings(dataDirectory));

        await using var second = ChildProcess.Start(GatewayProcess.Assembly, Settings(dataDirectory), dataDirectory);

        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"A second gateway started on the same data directory:\n{second.Output}");
        Assert.True(second.ExitCode == 2, $"exit code {second.ExitCode}: {second.Output}");
        Assert.Equal(
            $"Synapse:DataDirectory '{dataDirectory}' is in use by another all-in-one gateway (process {first.Process.Id}): two on one database would each keep their own revocations and rate limits. Stop that one, or give this one its own data directory.",
            second.Output.Trim());

        // SIGKILL, as a crash: nothing of the holder's is left to release the lock but the kernel.
        await first.Process.KillAsync();
        await using var third = await GatewayProcess.StartAsync(Settings(dataDirectory));
        await third.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string?> Settings(string dataDirectory) => new()
    {
        ["urls"] = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}",
        ["Synapse:DataDirectory"] = dataDirectory,
        ["Synapse:Audit:KeyDirectory"] = dataDirectory + "-keys",
        ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
    };
}
