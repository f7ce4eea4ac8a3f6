using System.Data.Common;
using Microsoft.Data.Sqlite;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>
/// <c>audit_events</c> in the all-in-one SQLite file. A batch is one IMMEDIATE transaction of
/// prepared <c>INSERT OR IGNORE</c> statements (statements are cheap in SQLite; the commit is what costs).
/// </summary>
internal sealed class SqliteAuditStore(string connectionString) : DbAuditStore
{
    private static readonly string InsertSql =
        $"INSERT OR IGNORE INTO audit_events ({AuditSql.InsertColumns}) VALUES ({string.Join(", ", Enumerable.Range(0, AuditSql.InsertColumnCount).Select(i => "$p" + i))}) RETURNING id";

    public override async Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        for (var i = 0; i < AuditSql.InsertColumnCount; i++)
        {
            insert.Parameters.Add(new SqliteParameter("$p" + i, null));
        }

        long lastId = 0;
        var ignored = new List<Guid>();
        foreach (var row in rows)
        {
            Bind(insert.Parameters, row);
            if (await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id)
            {
                lastId = id;
            }
            else
            {
                ignored.Add(row.Record.EventId);
            }
        }

        if (ignored.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new AuditAppendResult(lastId, []);
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return new AuditAppendResult(0, await ExistingAsync(connection, ignored, cancellationToken).ConfigureAwait(false));
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    protected override object TimeParameter(DateTimeOffset time) => AuditText.FormatTime(time);

    private static void Bind(SqliteParameterCollection p, AuditRow row)
    {
        var r = row.Record;
        object?[] values =
        [
            r.EventId.ToString("D"), row.PartitionId, row.Seq, AuditText.Kind(r.Kind), AuditText.FormatTime(r.Time),
            r.RequestId, r.KeyId, r.TeamId, r.Model, r.Provider, AuditText.Location(r.ProviderLocation), r.Outcome,
            r.HttpStatus, AuditText.List(r.DlpCategories), AuditText.List(r.DlpActions), r.PromptSha256, r.ResponseSha256,
            r.PromptTokens, r.CompletionTokens, r.LatencyMs, r.Actor, r.Action, r.Target, r.Api, r.ClientAddress, r.UserAgent,
            r.Detail, r.Count, row.PrevHash, row.RowHash,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            p[i].Value = values[i] ?? DBNull.Value;
        }
    }

    // Only event ids the table already holds: an id repeated inside the batch is not "already present".
    private static async Task<IReadOnlyList<Guid>> ExistingAsync(SqliteConnection connection, List<Guid> candidates, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM audit_events WHERE event_id = $id";
        var parameter = command.Parameters.Add(new SqliteParameter("$id", null));
        var existing = new List<Guid>();
        foreach (var id in candidates)
        {
            parameter.Value = id.ToString("D");
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                existing.Add(id);
            }
        }

        return existing;
    }
}
