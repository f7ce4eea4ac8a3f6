using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for one test run: initdb into a fresh temporary directory, started
/// with pg_ctl on a free loopback port, stopped and deleted on dispose (or when the process exits).
/// It never touches a system cluster. PostgreSQL refuses to run as root, so as root the server runs
/// as the <c>postgres</c> user that Debian's package creates.
/// Use it through <c>[Collection(PostgresCollection.Name)]</c> and constructor injection.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime
{
    private const string PostgresRoot = "/usr/lib/postgresql";
    private const string ServiceUser = "postgres";
    private const string Superuser = "postgres";
    private const int StartAttempts = 3;
    private const string DirectoryPrefix = "synapse-pg-";
    private const string OwnerFileName = "owner.pid";

    private readonly object _stopLock = new();
    private readonly bool _asServiceUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
    private string? _binDirectory;
    private string? _rootDirectory;
    private bool _stopped;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_rootDirectory!, "data");

    private string LogFile => Path.Combine(_rootDirectory!, "server.log");

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory();

        // As root the server runs as another user, which must be able to reach the directory:
        // /tmp is open to everyone, while TMPDIR may point somewhere private.
        var tempBase = _asServiceUser ? "/tmp" : Path.GetTempPath();
        await StopOrphansAsync(tempBase);
        _rootDirectory = Path.Combine(tempBase, $"{DirectoryPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(_rootDirectory);
        await File.WriteAllTextAsync(Path.Combine(_rootDirectory, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        try
        {
            if (_asServiceUser)
            {
                await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", _rootDirectory], asServiceUser: false);
            }

            await RunAsync(Tool("initdb"),
            [
                "--pgdata", DataDirectory,
                "--username", Superuser,
                "--auth", "trust",
                "--encoding", "UTF8",
                "--no-locale",
                "--no-sync",
            ], _asServiceUser);

            await StartOnFreePortAsync();
        }
        catch
        {
            Stop();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
        return Task.CompletedTask;
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException("Use lower-case letters, digits and underscores (at most 63).", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>Creates a database with a unique name built from <paramref name="prefix"/>.</summary>
    public Task<string> CreateUniqueDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        return CreateDatabaseAsync(name.Length > 63 ? name[..63] : name);
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = Superuser,
        Database = database,
        // Grain calls can take a few connections each; keep the pools small so many silos fit
        // under the server's max_connections.
        MaxPoolSize = 20,
    }.ConnectionString;

    private async Task StartOnFreePortAsync()
    {
        var baseConfig = await File.ReadAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"));
        for (var attempt = 1; ; attempt++)
        {
            // Another process can take the port between this probe and the server's bind, so a
            // failed start is retried on a new port.
            Port = FreePort.Next();
            await File.WriteAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), baseConfig + ServerSettings());
            try
            {
                await RunAsync(Tool("pg_ctl"),
                [
                    "--pgdata", DataDirectory,
                    "--log", LogFile,
                    "--wait",
                    "--timeout", "60",
                    "start",
                ], _asServiceUser);
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                // pg_ctl has already reported the failure; try again on another port.
            }
        }
    }

    private string ServerSettings()
    {
        var settings = new StringBuilder();
        settings.AppendLine();
        settings.AppendLine("# Throwaway test server: loopback TCP only, socket kept in its own directory.");
        settings.AppendLine("listen_addresses = '127.0.0.1'");
        settings.AppendLine(CultureInfo.InvariantCulture, $"port = {Port}");
        settings.AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{_rootDirectory}'");
        settings.AppendLine("max_connections = 300");
        // Durability is worthless for data deleted at the end of the run.
        settings.AppendLine("fsync = off");
        settings.AppendLine("synchronous_commit = off");
        settings.AppendLine("full_page_writes = off");
        return settings.ToString();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    // A test process killed outright (a hang timeout, SIGKILL) runs no exit handler, so its server
    // outlives it. Each server records the process that owns it; servers whose owner is gone are
    // stopped here. Servers of other live test runs on the machine are left alone.
    private async Task StopOrphansAsync(string tempBase)
    {
        foreach (var directory in Directory.GetDirectories(tempBase, DirectoryPrefix + "*"))
        {
            var ownerFile = Path.Combine(directory, OwnerFileName);
            if (!File.Exists(ownerFile)
                || !int.TryParse(await File.ReadAllTextAsync(ownerFile), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                || IsAlive(owner))
            {
                continue;
            }

            var data = Path.Combine(directory, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    await RunAsync(Tool("pg_ctl"), ["--pgdata", data, "--mode", "immediate", "--wait", "stop"], _asServiceUser);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another run may be cleaning the same directory.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped || _rootDirectory is null)
            {
                return;
            }

            _stopped = true;
            NpgsqlConnection.ClearAllPools();
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                try
                {
                    // Immediate: nothing in a throwaway database needs a clean shutdown.
                    RunAsync(Tool("pg_ctl"), ["--pgdata", DataDirectory, "--mode", "immediate", "--wait", "stop"], _asServiceUser)
                        .GetAwaiter().GetResult();
                }
                catch (InvalidOperationException)
                {
                    // Already stopped; the directory is removed regardless.
                }
            }

            try
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover directory in /tmp is harmless, a leftover server is not.
            }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory!, name);

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists(PostgresRoot)
            ? Directory.GetDirectories(PostgresRoot)
                .Select(directory => (Directory: directory, Version: ParseVersion(Path.GetFileName(directory))))
                .Where(candidate => candidate.Version is not null && File.Exists(Path.Combine(candidate.Directory, "bin", "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .ToList()
            : [];

        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not installed: no initdb under {PostgresRoot}/*/bin. Install Debian's 'postgresql' " +
                "package (scripts/test.sh does this) to run the PostgreSQL tests.");
        }

        return Path.Combine(candidates[0].Directory, "bin");
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceUser)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = asServiceUser ? "runuser" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service user may not be allowed into the test's working directory.
            WorkingDirectory = _rootDirectory ?? "/",
        };
        if (asServiceUser)
        {
            foreach (var argument in (string[])["-u", ServiceUser, "--", fileName])
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = File.Exists(LogFileOrEmpty()) ? await File.ReadAllTextAsync(LogFileOrEmpty()) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}.\n" +
                $"{await output}\n{await error}\n{log}");
        }
    }

    private string LogFileOrEmpty() => _rootDirectory is null ? "" : LogFile;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
