using System.Data.Common;
using Microsoft.Data.Sqlite;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>
/// <c>audit_events</c> in the all-in-one SQLite file. A batch is one IMMEDIATE transaction of
/// prepared <c>INSERT OR IGNORE</c> statements (statements are cheap in SQLite; the commit is what costs).
/// </summary>
/// <remarks>
/// SQLite keeps no statistics, so for a page filtered on a time range and on a key (or an outcome,
/// a model…) it walks the key's index newest first and checks each row's time: an auditor's "this
/// key, that hour two days ago" walked every row of the key since then (2 million rows of 50 keys,
/// through the admin API: the key's page 120 ms, the 429s' 297 ms, growing with the log; now 23 and
/// 16 ms, docs/benchmarks.md). When the range holds at most
/// <paramref name="windowRows"/> rows, the lowest and highest of their ids are read from the time
/// index first (index only) and bound that walk: the page then costs the matching rows of the range.
/// A wider range keeps the planner's plain walk. PostgreSQL's statistics choose well on their own.
/// </remarks>
internal sealed class SqliteAuditStore(string connectionString, int windowRows = 200_000) : DbAuditStore
{
    private const string TimeIndexed = "audit_events INDEXED BY audit_events_time_idx";

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
            return AuditAppendResult.Written(lastId);
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return AuditAppendResult.NotWritten(await ExistingAsync(connection, ignored, cancellationToken).ConfigureAwait(false));
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    protected override object TimeParameter(DateTimeOffset time) => AuditText.FormatTime(time);

    protected override async ValueTask<IdWindow?> IdWindowAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        if (!HasTimeRangeAndAnotherFilter(query))
        {
            return null;
        }

        var window = await TimeRangeIdsAsync(query, TimeIndexed, windowRows + 1, cancellationToken).ConfigureAwait(false);
        return window.Rows <= windowRows ? window : null;
    }

    /// <summary>Whether a page is filtered on a time range and on something else (a key, an outcome, a model…).</summary>
    private static bool HasTimeRangeAndAnotherFilter(AuditQuery query) =>
        query is not null && (query.From is not null || query.To is not null)
        && (query.KeyId ?? query.TeamId ?? query.Outcome ?? query.Model ?? query.Provider ?? query.DlpCategory ?? query.Kind) is not null;

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
