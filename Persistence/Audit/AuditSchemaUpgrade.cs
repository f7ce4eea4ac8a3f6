using System.Data.Common;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Brings an <c>audit_events</c> table created by the first release up to the current columns
/// (<see cref="MissingColumns"/>). Existing rows get NULL, which is what the first release's rule
/// requires of them (docs/audit.md, Upgrading from the first release).
/// </summary>
internal static class AuditSchemaUpgrade
{
    private static readonly (string Name, string Postgres, string Sqlite)[] AddedColumns =
    [
        ("api", "text", "TEXT"),
        ("client_address", "text", "TEXT"),
        ("user_agent", "text", "TEXT"),
        ("detail", "text", "TEXT"),
        ("event_count", "integer", "INTEGER"),
    ];

    public static Task AddMissingColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken) =>
        MissingColumns.AddAsync(connection, transaction, engine, "audit_events", AddedColumns, cancellationToken);
}
