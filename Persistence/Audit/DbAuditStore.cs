using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.RateLimiting;

namespace Synapse.Persistence.Audit;

/// <summary>The reads both engines share; each engine supplies its connections, time parameters and appends.</summary>
internal abstract class DbAuditStore : IAuditStore
{
    public abstract Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken);

    public async IAsyncEnumerable<AuditRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in ReadAsync($"SELECT {AuditSql.Columns} FROM audit_events ORDER BY id", [], cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    public async Task<AuditRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await foreach (var row in ReadAsync($"SELECT {AuditSql.Columns} FROM audit_events WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false))
        {
            return row;
        }

        return null;
    }

    public async IAsyncEnumerable<AuditRow> ReadPartitionAsync(string partitionId, long fromSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Walks the (partition_id, partition_seq) unique index.
        var sql = $"SELECT {AuditSql.Columns} FROM audit_events WHERE partition_id = @partition AND partition_seq >= @from ORDER BY partition_seq";
        await foreach (var row in ReadAsync(sql, [("partition", partitionId), ("from", fromSeq)], cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    public async Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {AuditSql.Columns} FROM audit_events WHERE 1 = 1");
        var parameters = new List<(string, object)>();
        if (await IdWindowAsync(query, cancellationToken).ConfigureAwait(false) is { } window)
        {
            if (window.Rows == 0)
            {
                return [];
            }

            Filter(sql, parameters, "id >= @lowest", "lowest", window.Lowest);
            Filter(sql, parameters, "id <= @highest", "highest", window.Highest);
        }

        Filter(sql, parameters, "key_id = @key_id", "key_id", query.KeyId);
        Filter(sql, parameters, "team_id = @team_id", "team_id", query.TeamId);
        Filter(sql, parameters, "outcome = @outcome", "outcome", query.Outcome);
        Filter(sql, parameters, "occurred_at >= @from", "from", query.From is { } from ? TimeParameter(from) : null);
        Filter(sql, parameters, "occurred_at < @to", "to", query.To is { } to ? TimeParameter(to) : null);
        Filter(sql, parameters, "id < @before", "before", query.BeforeId);
        Filter(sql, parameters, "model = @model", "model", query.Model);
        Filter(sql, parameters, "provider = @provider", "provider", query.Provider);
        Filter(sql, parameters, "kind = @kind", "kind", query.Kind);
        Filter(sql, parameters, "(',' || dlp_categories || ',') LIKE @dlp", "dlp", query.DlpCategory is { } category ? "%," + category + ",%" : null);
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        parameters.Add(("limit", query.Limit));

        var rows = new List<AuditRow>(query.Limit);
        await foreach (var row in ReadAsync(sql.ToString(), parameters, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<IReadOnlyList<AuditRow>> RateWindowAsync(string keyId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        List<(string, object)> parameters =
        [
            ("key_id", keyId), ("since", TimeParameter(since)),
            ("forwarded", RateWindowEvents.ForwardedKind), ("allowed", AuditOutcomes.Allowed), ("counting", RateWindowEvents.TokenCountApi),
            ("refused", RateWindowEvents.RefusalKind),
        ];
        var outcomes = Placeholders("o", RateWindowEvents.RefusalOutcomes, parameters);
        var statuses = Placeholders("s", RateWindowEvents.RefusalStatuses, parameters);

        // Asked for "key_id = ? AND occurred_at >= ?", SQLite (even with statistics) walks the key's
        // whole history: 0.8 s per activation at 2 million rows. The lowest id since then bounds that
        // walk to the window; it is read from the time index alone because of "+ 0", without which
        // MIN(id) is answered by walking the ids from the oldest. No row since: NULL, no rows.
        var sql = $"SELECT {AuditSql.Columns} FROM audit_events WHERE key_id = @key_id"
            + " AND id >= (SELECT MIN(id + 0) FROM audit_events WHERE occurred_at >= @since) AND occurred_at >= @since"
            + " AND ((kind = @forwarded AND outcome = @allowed AND (http_status IS NULL OR api = @counting))"
            + $" OR (kind = @refused AND outcome IN ({outcomes}) AND http_status IN ({statuses}))) ORDER BY id";
        var rows = new List<AuditRow>();
        await foreach (var row in ReadAsync(sql, parameters, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async IAsyncEnumerable<AuditRow> ExportAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {AuditSql.Columns} FROM audit_events WHERE 1 = 1");
        var parameters = new List<(string, object)>();
        Filter(sql, parameters, "occurred_at >= @from", "from", from is { } f ? TimeParameter(f) : null);
        Filter(sql, parameters, "occurred_at < @to", "to", to is { } t ? TimeParameter(t) : null);
        sql.Append(" ORDER BY id");
        await foreach (var row in ReadAsync(sql.ToString(), parameters, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>How a time is passed to a query on this engine (timestamptz or fixed-width text).</summary>
    protected abstract object TimeParameter(DateTimeOffset time);

    /// <summary>
    /// The ids a page's time range spans, when the engine should have them to bound its walk; null
    /// to leave the query to the planner.
    /// </summary>
    protected virtual ValueTask<IdWindow?> IdWindowAsync(AuditQuery query, CancellationToken cancellationToken) => ValueTask.FromResult<IdWindow?>(null);

    /// <summary>
    /// How many rows lie in a page's time range (up to <paramref name="cap"/>) and the lowest and
    /// highest of their ids, read from <paramref name="timeIndexed"/> (the table with its time index).
    /// </summary>
    protected async Task<IdWindow> TimeRangeIdsAsync(AuditQuery query, string timeIndexed, int cap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT COUNT(*), MIN(id + 0), MAX(id + 0) FROM (SELECT id FROM {timeIndexed} WHERE 1 = 1");
        var parameters = new List<(string, object)>();
        Filter(sql, parameters, "occurred_at >= @from", "from", query.From is { } from ? TimeParameter(from) : null);
        Filter(sql, parameters, "occurred_at < @to", "to", query.To is { } to ? TimeParameter(to) : null);
        sql.Append(" LIMIT @cap)");
        parameters.Add(("cap", cap));
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql.ToString(), parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = reader.GetInt64(0);
        return rows == 0 ? new IdWindow(0, 0, 0) : new IdWindow(rows, reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The rows of a time range, and the lowest and highest of their ids.</summary>
    protected readonly record struct IdWindow(long Rows, long Lowest, long Highest);

    /// <summary>"@p0, @p1, …" for <paramref name="values"/>, each added as a parameter.</summary>
    private static string Placeholders<T>(string prefix, IReadOnlyList<T> values, List<(string, object)> parameters)
        where T : notnull
    {
        var names = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            names.Append(i == 0 ? "@" : ", @").Append(prefix).Append(i);
            parameters.Add((prefix + i, values[i]));
        }

        return names.ToString();
    }

    private static void Filter(StringBuilder sql, List<(string, object)> parameters, string condition, string name, object? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(" AND ").Append(condition);
        parameters.Add((name, value));
    }

    private async IAsyncEnumerable<AuditRow> ReadAsync(string sql, IReadOnlyList<(string Name, object Value)> parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return AuditRowReader.Read(reader);
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, IReadOnlyList<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Built from constants; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
