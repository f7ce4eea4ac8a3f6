using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Synapse.Audit;

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

    public async Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {AuditSql.Columns} FROM audit_events WHERE 1 = 1");
        var parameters = new List<(string, object)>();
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
        await using var command = connection.CreateCommand();
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

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return AuditRowReader.Read(reader);
        }
    }
}
