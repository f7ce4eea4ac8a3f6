using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Synapse.AuditBench;

/// <summary>
/// A PostgreSQL server for one run: initdb into /tmp, pg_ctl start on a free loopback port, stopped
/// and deleted on dispose. Durability settings are left at PostgreSQL's defaults (fsync and
/// synchronous_commit on): the benchmark measures real commits. As root it runs as <c>postgres</c>.
/// </summary>
internal sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _root = Path.Combine("/tmp", "synapse-auditbench-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;
    private readonly bool _asPostgres = Environment.UserName == "root";

    private ThrowawayPostgres(string bin) => _bin = bin;

    public int Port { get; private set; }

    private string Data => Path.Combine(_root, "data");

    public static ThrowawayPostgres Start()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().First(d => File.Exists(Path.Combine(d, "initdb")));
        var server = new ThrowawayPostgres(bin);
        Directory.CreateDirectory(server._root);
        if (server._asPostgres)
        {
            Run("chown", ["postgres:postgres", server._root], asPostgres: false);
        }

        server.Run("initdb", ["--pgdata", server.Data, "--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--no-locale"]);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            server.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        File.AppendAllText(Path.Combine(server.Data, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture,
            $"\nlisten_addresses = '127.0.0.1'\nport = {server.Port}\nunix_socket_directories = '{server._root}'\nmax_connections = 100\n"));
        server.Run("pg_ctl", ["--pgdata", server.Data, "--log", Path.Combine(server._root, "server.log"), "--wait", "start"]);
        return server;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Run("pg_ctl", ["--pgdata", Data, "--mode", "immediate", "--wait", "stop"]);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private void Run(string tool, string[] arguments) => Run(Path.Combine(_bin, tool), arguments, _asPostgres);

    private static void Run(string file, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var argument in (asPostgres ? new[] { "-u", "postgres", "--", file } : []).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {output.Result}{error}");
        }
    }
}
