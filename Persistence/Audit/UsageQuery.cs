using System.Data.Common;
using System.Globalization;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Answers usage questions from the rollup tables plus the rows the rollup has not reached yet
/// (read from <c>audit_events</c> by id), so the answer is current and reads a bounded number of
/// rows: buckets × groups from the rollup, and a couple of minutes of the log.
/// </summary>
public sealed class UsageQuery(SynapseDatabase database)
{
    public const string Other = "other";
    public const string Total = "total";

    private const long Hour = 3_600_000;
    private static readonly string[] GroupDimensions = ["team", "key", "model", "provider"];

    // Per-bucket rows carry counts only (summed over outcome classes unless grouped by them); the
    // latency histograms are summed by the database in one row.
    private static readonly string LatencySums = string.Join(", ", UsageSql.SummedColumns.Skip(3).Select(c => $"SUM({c})"));

    public async Task<UsageResult> QueryAsync(UsageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = request.BucketMilliseconds;
        var start = Floor(request.From.ToUnixTimeMilliseconds(), size);
        var end = Ceiling(request.To.ToUnixTimeMilliseconds(), size);
        var buckets = new long[(int)((end - start) / size)];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = start + (i * size);
        }

        var table = size >= Hour ? "usage_hours" : "usage_minutes";
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        var rolled = await RolledIdAsync(connection, cancellationToken).ConfigureAwait(false);
        var range = new Range(start, end, size, rolled);

        var byDimension = GroupDimensions.Contains(request.GroupBy, StringComparer.Ordinal);
        var (dim, value) = byDimension ? (request.GroupBy, (string?)null)
            : request.KeyId is { } key ? ("key", key)
            : request.TeamId is { } team ? ("team", team)
            : ("all", string.Empty);

        var acc = new UsageAccumulator(start, size, buckets.Length);
        if (byDimension)
        {
            var top = await TopValuesAsync(connection, dim, range, request.Top, cancellationToken).ConfigureAwait(false);
            var totals = new UsageAccumulator(start, size, buckets.Length);
            await ReadAsync(connection, table, "all", [string.Empty], byClass: false, withLatency: true, range, (row, tail) => totals.Add(Total, row, withLatency: true), cancellationToken).ConfigureAwait(false);
            if (top.Count > 0)
            {
                await ReadAsync(connection, table, dim, top, byClass: false, withLatency: false, range, (row, _) => acc.Add(row.Value, row, withLatency: false), cancellationToken).ConfigureAwait(false);
            }

            acc.AddOther(totals, Other);
            acc.CopyLatency(totals);
        }
        else
        {
            var byClass = string.Equals(request.GroupBy, "outcome", StringComparison.Ordinal);
            await ReadAsync(connection, table, dim, [value!], byClass, withLatency: true, range, (row, _) => acc.Add(byClass ? row.Class : Total, row, withLatency: true), cancellationToken).ConfigureAwait(false);
        }

        return new UsageResult(buckets, acc.Series(), acc.Latency.Bins, acc.Latency.Count, acc.Latency.Sum, acc.Gateway.Bins, acc.Gateway.Count, acc.Gateway.Sum, rolled);
    }

    private static async Task<long> RolledIdAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, null, "SELECT rolled_id FROM usage_rollup_state WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);
    }

    // Ranks by the hours that overlap the range (plus the newest rows): exact for hour buckets, and
    // for minute buckets it may count up to an hour beyond each edge when choosing the top values.
    private async Task<List<string>> TopValuesAsync(DbConnection connection, string dim, Range range, int top, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var hourRange = range with { Start = Floor(range.Start, Hour), End = Ceiling(range.End, Hour) };
        await using (var command = DbCommands.Create(connection, null,
            "SELECT value, SUM(requests) FROM usage_hours WHERE dim = @dim AND bucket >= @start AND bucket < @end GROUP BY value",
            ("dim", dim), ("start", hourRange.Start), ("end", hourRange.End)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }

        await ReadTailAsync(connection, dim, null, range, (row, _) => counts[row.Value] = counts.GetValueOrDefault(row.Value) + row.Requests, cancellationToken).ConfigureAwait(false);
        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => c.Key)];
    }

    /// <param name="withLatency">
    /// Whether the latency histograms are read: the top values of a grouping are counted without
    /// them (the answer's latency is the whole range's), which spares summing 28 histogram columns
    /// over their rows.
    /// </param>
    private async Task ReadAsync(DbConnection connection, string table, string dim, IReadOnlyList<string> values, bool byClass, bool withLatency, Range range, Action<UsageRow, bool> add, CancellationToken cancellationToken)
    {
        var names = values.Select((_, i) => "@v" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var parameters = new List<(string, object?)> { ("dim", dim), ("start", range.Start), ("end", range.End) };
        parameters.AddRange(values.Select((v, i) => ("v" + i.ToString(CultureInfo.InvariantCulture), (object?)v)));
        var where = $"FROM {table} WHERE dim = @dim AND value IN ({string.Join(", ", names)}) AND bucket >= @start AND bucket < @end";
        var series = byClass
            ? $"SELECT value, bucket, class, requests, prompt_tokens, completion_tokens {where}"
            : $"SELECT value, bucket, '', SUM(requests), SUM(prompt_tokens), SUM(completion_tokens) {where} GROUP BY value, bucket";
        await using (var command = DbCommands.Create(connection, null, series, [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                add(UsageRow.Counts(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), Long(reader, 3), Long(reader, 4), Long(reader, 5)), false);
            }
        }

        if (withLatency)
        {
            await using var command = DbCommands.Create(connection, null, $"SELECT '', 0, '', 0, 0, 0, {LatencySums} {where}", [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                add(UsageRow.Read(reader) with { Bucket = -1 }, false);
            }
        }

        await ReadTailAsync(connection, dim, values, range, add, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The rows the rollup has not counted yet, aggregated the same way. They are selected by id
    /// alone (a primary-key range of a few minutes of rows); buckets outside the asked range are
    /// dropped by the accumulator. A time condition here would tempt the planner to walk the time
    /// index over the whole range instead.
    /// </summary>
    private async Task ReadTailAsync(DbConnection connection, string dim, IReadOnlyList<string>? values, Range range, Action<UsageRow, bool> add, CancellationToken cancellationToken)
    {
        var sql = $"""
            {UsageSql.EventsTable(database.Engine, range.Size)}
            SELECT x.value, x.bucket, x.class, {string.Join(", ", UsageSql.SummedColumns.Select(c => "x." + c))}
            FROM (
                SELECT {UsageSql.DimensionValue("d")} AS value, e.bucket, e.class, {Aliased(UsageSql.Aggregates())}
                FROM e CROSS JOIN (SELECT @dim AS dim) d
                GROUP BY {UsageSql.DimensionValue("d")}, e.bucket, e.class) x
            """;
        await using var command = DbCommands.Create(connection, null, sql, ("after", range.RolledId), ("upto", long.MaxValue), ("dim", dim));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var wanted = values is null ? null : new HashSet<string>(values, StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = UsageRow.Read(reader);
            if (wanted is null || wanted.Contains(row.Value))
            {
                add(row, true);
            }
        }
    }

    private static string Aliased(string aggregates)
    {
        var names = UsageSql.SummedColumns;
        var parts = aggregates.Split(",\n", StringSplitOptions.TrimEntries);
        return string.Join(",\n", parts.Select((p, i) => p + " AS " + names[i]));
    }

    private static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static long Floor(long value, long size) => value - (((value % size) + size) % size);

    private static long Ceiling(long value, long size) => Floor(value, size) == value ? value : Floor(value, size) + size;

    private sealed record Range(long Start, long End, long Size, long RolledId);
}
