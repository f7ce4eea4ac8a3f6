using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Synapse.Hosting;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// A host that cannot start ends its process with one line that says why and an exit code, never
/// with an unhandled exception (the runtime aborts on one: exit code 134, which reads as a crash):
/// a port another process listens on, and an audit key that does not match the log. Run against
/// the real front end's entry point, in its own process.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StartFailureTests
{
    [Fact]
    public async Task Start_OnAPortAnotherProcessListensOn_EndsWithOneLineAndExitCode2()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var dataDirectory = NewDataDirectory();

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, Settings(dataDirectory, port), dataDirectory);

        Assert.True(exitCode == HostRun.PortTakenExitCode, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith($"Cannot start: Failed to bind to address http://127.0.0.1:{port} (urls): address already in use", errors, StringComparison.Ordinal);

        // One line and nothing else: no stack trace, no silo started and stopped, and nothing
        // opened in the audit log (the addresses are bound before the silo starts).
        Assert.Equal(string.Empty, output.Trim());
        Assert.DoesNotContain('\n', errors.Trim());
        Assert.Equal(0, AuditManifestRows(dataDirectory));
    }

    [Fact]
    public async Task Start_WithAnAuditSigningKeyTheLogWasNotWrittenWith_EndsWithOneLineAndExitCode1()
    {
        var dataDirectory = NewDataDirectory();
        await using (var first = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Synapse:Audit:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        }))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }

        var settings = Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture));
        settings["Synapse:Audit:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, dataDirectory);

        Assert.True(exitCode == HostRun.FailedExitCode, $"exit code {exitCode}: {output}{errors}");
        Assert.Contains("Cannot start: The audit signing key (Synapse:Audit:SigningKey) does not verify the audit log's manifest", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output + errors, StringComparison.Ordinal);

        // The services already running when the start failed were stopped, not failed: no
        // "BackgroundService failed" error and no critical line about stopping the host for it.
        Assert.DoesNotContain("BackgroundService", output + errors, StringComparison.Ordinal);
    }

    /// <summary>
    /// Orleans marks its listening sockets reusable, so without the check a second silo binds the
    /// same port and the kernel deals connections between the two.
    /// </summary>
    [Theory]
    [InlineData("Synapse:Orleans:SiloPort")]
    [InlineData("Synapse:Orleans:GatewayPort")]
    public async Task Start_OnAnOrleansPortALiveSiloListensOn_EndsWithOneLineAndExitCode2_AndTheLiveOneServesOn(string setting)
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var live = await GatewayHost.StartAsync(new Dictionary<string, string?> { [setting] = port });
        var dataDirectory = NewDataDirectory();
        var settings = Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture));
        settings[setting] = port;

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, dataDirectory);

        Assert.True(exitCode == HostRun.PortTakenExitCode, $"exit code {exitCode}: {output}{errors}");
        Assert.Contains($"Cannot start: Failed to bind to 127.0.0.1:{port} ({setting}): address already in use", errors, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await live.Admin.GetAsync("/healthz/ready")).StatusCode);
    }

    /// <summary>An IP literal passes the settings check, but Kestrel can only listen on an address of this machine's own.</summary>
    [Fact]
    public async Task Start_WithAManagementAddressThisMachineDoesNotHave_EndsWithOneLineNamingTheSetting_AndExitCode2()
    {
        var dataDirectory = NewDataDirectory();
        var settings = Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture));
        var managementPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        settings["Synapse:Management:Port"] = managementPort;
        settings["Synapse:Management:Address"] = "203.0.113.7"; // TEST-NET-3: on no machine's interface

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, dataDirectory);

        Assert.True(exitCode == HostRun.PortTakenExitCode, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith($"Cannot start: Failed to bind to address http://203.0.113.7:{managementPort} (Synapse:Management:Address) (Cannot assign requested address). No interface of this machine has that address", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors.Trim());
        Assert.DoesNotContain("Unhandled exception", output + errors, StringComparison.Ordinal);
    }

    /// <summary>Read before the host is composed, in both executables (and the silo's audit CLI).</summary>
    [Theory]
    [InlineData(GatewayProcess.Assembly, new string[0])]
    [InlineData(SiloProcess.Assembly, new string[0])]
    [InlineData(SiloProcess.Assembly, new[] { "audit", "verify" })]
    public async Task Start_WithASecretsDirectoryThatDoesNotExist_EndsWithOneLineAndExitCode2(string assembly, string[] arguments)
    {
        var dataDirectory = NewDataDirectory();
        var settings = Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture));
        settings["Synapse:SecretsDirectory"] = "/no/such/secrets";

        var (exitCode, output, errors) = await ChildProcess.RunAsync(assembly, settings, dataDirectory, arguments);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {output}{errors}");
        Assert.Equal("Synapse:SecretsDirectory '/no/such/secrets' does not exist.", errors.Trim());
    }

    /// <summary>ASP.NET Core refuses the prefix with an exception of its own as the pipeline is built: checked before.</summary>
    [Fact]
    public async Task Start_WithAPathBaseWithoutItsLeadingSlash_EndsWithOneLineAndExitCode2()
    {
        var dataDirectory = NewDataDirectory();
        var settings = Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture));

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, dataDirectory, "--pathbase", "gw");

        Assert.True(exitCode == 2, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith("pathbase must start with '/'", errors.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors.Trim());
    }

    /// <summary>
    /// A data directory the process cannot make or write. The tests run as root, whom no file mode
    /// stops: a path that is a file, one under a file, and procfs, which refuses everyone.
    /// </summary>
    [Theory]
    [InlineData("{file}", "it is a file, not a directory")]
    [InlineData("{file}/data", "Could not find a part of the path '{file}/data'")]
    [InlineData("/proc", "")]
    public async Task Start_WithADataDirectoryItCannotUse_EndsWithOneLineNamingTheSetting_AndExitCode2(string path, string why)
    {
        var workingDirectory = NewDataDirectory();
        Directory.CreateDirectory(workingDirectory);
        var file = Path.Combine(workingDirectory, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var dataDirectory = path.Replace("{file}", file, StringComparison.Ordinal);

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, Settings(dataDirectory, FreePort.Next().ToString(CultureInfo.InvariantCulture)), workingDirectory);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith($"Synapse:DataDirectory '{dataDirectory}' cannot be used: {why.Replace("{file}", file, StringComparison.Ordinal)}", errors.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors.Trim());
    }

    /// <summary>Read as the host is created, before any of Synapse's code: the file and where in it, not the JSON reader's stack trace.</summary>
    [Theory]
    [InlineData(GatewayProcess.Assembly)]
    [InlineData(SiloProcess.Assembly)]
    public async Task Start_WithAnAppSettingsFileThatDoesNotParse_EndsWithOneLineNamingTheFile_AndExitCode2(string assembly)
    {
        var contentRoot = NewDataDirectory();
        Directory.CreateDirectory(contentRoot);
        var appSettings = Path.Combine(contentRoot, "appsettings.json");
        await File.WriteAllTextAsync(appSettings, "{\n  \"Synapse\": {\n    \"DataDirectory\": data\n  }\n}\n");

        var (exitCode, output, errors) = await ChildProcess.RunAsync(assembly, Settings(contentRoot, FreePort.Next().ToString(CultureInfo.InvariantCulture)), contentRoot);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {output}{errors}");
        Assert.StartsWith($"Failed to load configuration from file '{appSettings}': ", errors.Trim(), StringComparison.Ordinal);
        Assert.Contains("LineNumber: 2", errors, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', errors.Trim());
    }

    [Fact]
    public void PortTaken_FindsTheSocketErrorInsideWrappersAndAggregates()
    {
        var taken = new SocketException((int)SocketError.AddressAlreadyInUse);
        var wrapped = new IOException("Failed to bind to address http://127.0.0.1:1.", new InvalidOperationException("bind", taken));

        Assert.Same(taken, HostRun.PortTaken(wrapped));
        Assert.Same(taken, HostRun.PortTaken(new AggregateException(new TimeoutException(), wrapped)));
        Assert.Null(HostRun.PortTaken(new IOException("disk", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("first; second", HostRun.Describe(new AggregateException(new InvalidOperationException("first."), new InvalidOperationException("second"))));
    }

    /// <summary>The audit log's manifest rows (a partition opened, checkpoints, closed); none when the database was never made.</summary>
    private static long AuditManifestRows(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "synapse.db");
        if (!File.Exists(file))
        {
            return 0;
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'audit_manifest'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT count(*) FROM audit_manifest";
        return (long)command.ExecuteScalar()!;
    }

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string?> Settings(string dataDirectory, string port) => new()
    {
        ["urls"] = $"http://127.0.0.1:{port}",
        ["Synapse:DataDirectory"] = dataDirectory,
        ["Synapse:Admin:Token"] = GatewayApi.AdminToken,
        ["Synapse:Orleans:Dashboard"] = "false",
        ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
