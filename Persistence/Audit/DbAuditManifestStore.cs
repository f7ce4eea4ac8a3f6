using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>The manifest's reads both engines share; each engine supplies its connections and its exclusive append.</summary>
internal abstract class DbAuditManifestStore : IAuditManifestStore
{
    protected const string Columns = "seq, prev, kind, partition_id, partition_seq, head_id, head, recorded_at, mac";

    protected const string LastSql = $"SELECT {Columns} FROM audit_manifest ORDER BY seq DESC LIMIT 1";

    protected const string InsertSql = $"INSERT INTO audit_manifest ({Columns}) VALUES (@seq, @prev, @kind, @partition_id, @partition_seq, @head_id, @head, @recorded_at, @mac)";

    public abstract Task<AuditManifestRecord> AppendAsync(Func<AuditManifestRecord?, AuditManifestRecord> next, CancellationToken cancellationToken);

    public IAsyncEnumerable<AuditManifestRecord> ReadAllAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM audit_manifest ORDER BY seq", null, cancellationToken);

    public async Task<IReadOnlyList<AuditManifestRecord>> ReadFirstAsync(int count, CancellationToken cancellationToken) =>
        await ToListAsync(QueryAsync($"SELECT {Columns} FROM audit_manifest ORDER BY seq LIMIT @count", ("count", count), cancellationToken)).ConfigureAwait(false);

    public async Task<IReadOnlyList<AuditManifestRecord>> ReadPartitionAsync(string partitionId, CancellationToken cancellationToken) =>
        await ToListAsync(QueryAsync($"SELECT {Columns} FROM audit_manifest WHERE partition_id = @partition ORDER BY seq", ("partition", partitionId), cancellationToken)).ConfigureAwait(false);

    public async Task<AuditRow?> ReadLastRowAsync(string partitionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AuditSql.Columns} FROM audit_events WHERE partition_id = @partition ORDER BY partition_seq DESC LIMIT 1";
        Add(command, "partition", partitionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? AuditRowReader.Read(reader) : null;
    }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    private static async Task<List<AuditManifestRecord>> ToListAsync(IAsyncEnumerable<AuditManifestRecord> records)
    {
        var list = new List<AuditManifestRecord>();
        await foreach (var record in records.ConfigureAwait(false))
        {
            list.Add(record);
        }

        return list;
    }

    private async IAsyncEnumerable<AuditManifestRecord> QueryAsync(string sql, (string Name, object Value)? parameter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Built from constants; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        if (parameter is { } p)
        {
            Add(command, p.Name, p.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    /// <summary>The newest record, read inside the appender's exclusive transaction.</summary>
    protected static async Task<AuditManifestRecord?> LastAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LastSql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    protected static void Bind(DbCommand command, AuditManifestRecord record)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(record);
        Add(command, "seq", record.Seq);
        Add(command, "prev", record.Prev);
        Add(command, "kind", record.Kind);
        Add(command, "partition_id", record.Partition);
        Add(command, "partition_seq", record.PartitionSeq);
        Add(command, "head_id", record.HeadId);
        Add(command, "head", record.Head);
        Add(command, "recorded_at", AuditText.FormatTime(record.At));
        Add(command, "mac", record.Mac);
    }

    // Whatever an INSERT-only writer put in the table still reads as a record: one that fails its MAC.
    private static AuditManifestRecord Read(DbDataReader r) => new(
        Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
        Text(r, 1),
        Text(r, 2),
        Text(r, 3),
        Number(r, 4),
        Number(r, 5),
        Text(r, 6),
        DateTimeOffset.TryParseExact(Text(r, 7), AuditText.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : DateTimeOffset.MinValue,
        Text(r, 8));

    private static string Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? string.Empty : Convert.ToString(r.GetValue(ordinal), CultureInfo.InvariantCulture) ?? string.Empty;

    private static long Number(DbDataReader r, int ordinal) =>
        long.TryParse(Text(r, ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : long.MinValue;

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
