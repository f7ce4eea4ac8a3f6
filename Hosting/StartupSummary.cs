using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Synapse.Audit;
using Synapse.Persistence.Storage;
using Synapse.Routing;

namespace Synapse.Hosting;

/// <summary>
/// One log line once a process listens, saying what it runs: its role, where it listens, its
/// database, its providers and where each may take data, whether the audit log fails closed and
/// where its signed checkpoints go, the console's path. An operator (and an auditor reading the
/// log) sees at a glance what the settings amounted to. It never names a secret: the database is
/// its file or host and name, never its connection string; a provider is its name, type, location
/// and model count, never its URL (which may carry credentials) or key.
/// </summary>
public static partial class StartupSummary
{
    /// <summary>Logs the summary when <paramref name="lifetime"/> reports the host started.</summary>
    public static void LogWhenStarted(IServiceProvider services, IHostApplicationLifetime lifetime, string role, string? consolePath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(lifetime);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupSummary));
        lifetime.ApplicationStarted.Register(() => Started(logger, role, Describe(services, consolePath)));
    }

    /// <summary>The summary after the role: addresses, database, providers, audit, console.</summary>
    public static string Describe(IServiceProvider services, string? consolePath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var parts = new List<string>();
        if (services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses)
        {
            parts.Add($"listening on {string.Join(", ", addresses)}");
        }

        if (services.GetService<SynapseDatabase>() is { } database)
        {
            parts.Add($"database {Where(database)}");
        }

        parts.Add(services.GetService<ProviderCatalog>() is { } catalog
            ? $"providers {Providers(catalog)}"
            : "providers as the silos have them");

        if (services.GetService<AuditOptions>() is { } audit)
        {
            var checkpoints = services.GetService<AuditCheckpointDirectory>()?.Path;
            parts.Add((audit.FailOpen ? "audit FAILS OPEN (Synapse:Audit:FailOpen: requests pass while their event cannot be stored)" : "audit fails closed")
                + (checkpoints is null ? string.Empty : $", signed checkpoints in {checkpoints}"));
        }

        if (consolePath is not null)
        {
            parts.Add($"admin console at {consolePath}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>The database without its connection string: the SQLite file, or PostgreSQL's host, port and database.</summary>
    public static string Where(SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Engine == DatabaseEngine.Sqlite)
        {
            return $"SQLite {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource}";
        }

        var postgres = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {postgres.Host}:{postgres.Port}/{postgres.Database}");
    }

    private static string Providers(ProviderCatalog catalog) =>
        catalog.Routes.Count == 0
            ? "none configured (every request is refused until one is: Synapse:Providers)"
            : string.Join(", ", catalog.Routes.Select(r => string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Name} ({r.Options.Type}, {AuditText.Location(r.Location)}, {r.Options.Models.Count} model{(r.Options.Models.Count == 1 ? string.Empty : "s")})")));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Synapse {Role} started: {Summary}")]
    private static partial void Started(ILogger logger, string role, string summary);
}
