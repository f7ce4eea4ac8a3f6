using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// A headless silo in its own operating-system process, started from the Silo project's real entry
/// point, so that a test can end it the way a crash would: SIGKILL, no shutdown hooks, no flush.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int ActiveStatus = 3; // Orleans' SiloStatus.Active in the membership table
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, string dataDirectory, int siloPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        SiloPort = siloPort;
    }

    /// <summary>The silo-to-silo port, which names the silo in grain placement.</summary>
    public int SiloPort { get; }

    /// <summary>The silo's data directory (where it exports audit checkpoints).</summary>
    public string DataDirectory { get; }

    /// <summary>What the silo printed, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the silo with <paramref name="settings"/> (configuration keys, passed as environment
    /// variables) and returns once it is an active member of its cluster.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var siloPort = FreePort.Next();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var start = StartInfo(settings, dataDirectory);
        start.Environment["Synapse__Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Synapse__Orleans__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Synapse__Orleans__Dashboard"] = "false";

        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."), dataDirectory, siloPort);
        silo._process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();

        // A test run that ends without disposing the silo (a crash, a hang timeout) must not leave it running.
        AppDomain.CurrentDomain.ProcessExit += silo.OnTestProcessExit;

        try
        {
            await silo.WaitUntilActiveAsync(settings["ConnectionStrings:Postgres"]!, settings["Synapse:Orleans:ClusterId"]!, siloPort);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Runs one of the Silo program's commands (<c>audit verify</c>, …) to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunCommandAsync(IDictionary<string, string?> settings, string dataDirectory, params string[] arguments)
    {
        var start = StartInfo(settings, dataDirectory);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Kills the process at once (SIGKILL) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnTestProcessExit;
        await KillAsync();
        _process.Dispose();
    }

    private void OnTestProcessExit(object? sender, EventArgs e)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private static ProcessStartInfo StartInfo(IDictionary<string, string?> settings, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);

        // The data directory is the content root too: an empty one keeps any appsettings.json
        // copied next to the test assembly out of the silo's configuration.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Synapse.Silo.dll"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["Synapse__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    private async Task WaitUntilActiveAsync(string connectionString, string clusterId, int siloPort)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with code {_process.ExitCode} before joining its cluster:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silo did not become an active cluster member within {StartTimeout.TotalSeconds} s:\n{Output}");
            }

            try
            {
                await using var command = dataSource.CreateCommand("SELECT count(*) FROM synapse_membership WHERE deployment_id = $1 AND port = $2 AND status = $3");
                command.Parameters.AddWithValue(clusterId);
                command.Parameters.AddWithValue(siloPort);
                command.Parameters.AddWithValue(ActiveStatus);
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                {
                    return;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The silo has not installed the schema yet.
            }

            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
