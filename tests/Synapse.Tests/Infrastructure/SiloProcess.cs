using System.Globalization;
using Npgsql;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// A headless silo in its own operating-system process, started from the Silo project's real entry
/// point, so that a test can end it the way a crash would (SIGKILL: no shutdown hooks, no flush) or
/// the way an orchestrator stops it (SIGTERM: a graceful drain).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    public const string Assembly = "Synapse.Silo.dll";
    private const int ActiveStatus = 3; // Orleans' SiloStatus.Active in the membership table
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;

    private SiloProcess(ChildProcess process, Dictionary<string, string?> settings, string dataDirectory)
    {
        _process = process;
        Settings = settings;
        DataDirectory = dataDirectory;
        SiloPort = int.Parse(settings["Synapse:Orleans:SiloPort"]!, CultureInfo.InvariantCulture);
        ManagementPort = int.Parse(settings["Synapse:Management:Port"]!, CultureInfo.InvariantCulture);
    }

    /// <summary>The silo-to-silo port, which names the silo in grain placement.</summary>
    public int SiloPort { get; }

    /// <summary>The port of its <c>/healthz/*</c> and <c>/metrics</c>.</summary>
    public int ManagementPort { get; }

    /// <summary>The silo's data directory (where it exports audit checkpoints).</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the silo was started with.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ChildProcess Process => _process;

    /// <summary>What the silo printed, for a failing test's message.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts the silo with <paramref name="settings"/> (configuration keys, passed as environment
    /// variables; its ports and data directory are chosen here unless given) and returns once it is
    /// an active member of its cluster.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Management:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Orleans:Dashboard"] = "false",
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var silo = new SiloProcess(ChildProcess.Start(Assembly, all, dataDirectory), all, dataDirectory);
        try
        {
            await silo.WaitUntilActiveAsync(all["ConnectionStrings:Postgres"]!, all["Synapse:Orleans:ClusterId"]!);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>Runs one of the Silo program's commands (<c>audit verify</c>, <c>health</c>, …) to its end.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunCommandAsync(IDictionary<string, string?> settings, string dataDirectory, params string[] arguments) =>
        ChildProcess.RunAsync(Assembly, settings.Append(new("Synapse:DataDirectory", dataDirectory)), dataDirectory, arguments);

    /// <summary>Kills the process at once (SIGKILL) and waits until it is gone.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Asks the silo to stop (SIGTERM), as an orchestrator does.</summary>
    public void Terminate() => _process.Terminate();

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>Its management port listens (Kestrel starts after the silo has joined).</summary>
    private async Task<bool> AnswersHealthAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{ManagementPort}/healthz/live"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task WaitUntilActiveAsync(string connectionString, string clusterId)
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
                command.Parameters.AddWithValue(SiloPort);
                command.Parameters.AddWithValue(ActiveStatus);
                if ((long)(await command.ExecuteScalarAsync())! > 0 && await AnswersHealthAsync())
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
}
