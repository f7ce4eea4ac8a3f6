using System.Globalization;
using System.Text;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// The SQL of the usage rollup and its queries. Only the bucket of an event's time differs
/// between the engines (a timestamptz on PostgreSQL, fixed-width ISO text on SQLite).
/// </summary>
internal static class UsageSql
{
    /// <summary>Upper bounds (ms, exclusive) of the latency histogram's bins; the last bin is open.</summary>
    public static readonly long[] LatencyBounds = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

    /// <summary>
    /// Upper bounds (ms, exclusive) of the gateway-added time's histogram (<c>g0..g11</c>, from the
    /// completions' <c>detail.gatewayMs</c>): finer, since the gateway's part is milliseconds.
    /// </summary>
    public static readonly long[] GatewayBounds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

    public static readonly string[] Dimensions = ["all", "team", "key", "model", "provider"];

    public static readonly string BinColumns = Bins("l", LatencyBounds);

    public static readonly string GatewayBinColumns = Bins("g", GatewayBounds);

    /// <summary>Every summed column of a rollup row, in the order <see cref="Aggregates"/> computes them.</summary>
    public static readonly string[] SummedColumns =
        ["requests", "prompt_tokens", "completion_tokens", "latency_count", "latency_sum", .. BinColumns.Split(", "), "gateway_count", "gateway_sum", .. GatewayBinColumns.Split(", ")];

    /// <summary>Rows that count as one request each: refusals, completions, and model listings (which have no completion).</summary>
    public const string CountedRows = "(kind = 'rejection' OR kind = 'completion' OR (kind = 'request' AND model IS NULL))";

    /// <summary>The outcome class of a counted row.</summary>
    public const string Class = """
        CASE WHEN kind = 'rejection' THEN (CASE outcome WHEN 'dlp_blocked' THEN 'dlp_blocked' WHEN 'rate_limited' THEN 'rate_limited' ELSE 'rejected' END)
             WHEN outcome IN ('upstream_error', 'stream_broken') THEN 'upstream_error'
             ELSE 'allowed' END
        """;

    public static string Bucket(DatabaseEngine engine, long bucketMilliseconds)
    {
        var seconds = (bucketMilliseconds / 1000).ToString(CultureInfo.InvariantCulture);
        var ms = bucketMilliseconds.ToString(CultureInfo.InvariantCulture);
        return engine == DatabaseEngine.Postgres
            ? $"(floor(extract(epoch from occurred_at) / {seconds}) * {ms})::bigint"
            : $"(CAST(strftime('%s', substr(occurred_at, 1, 19)) AS INTEGER) / {seconds}) * {ms}";
    }

    /// <summary>
    /// The aggregate columns over a subquery <c>e</c> with <c>kind, latency_ms, gateway_ms,
    /// prompt_tokens, completion_tokens, event_count</c>, in <see cref="SummedColumns"/> order:
    /// requests, tokens (completions only: a request event's tokens are an estimate), and the
    /// histograms of the completions' provider latency and gateway-added time.
    /// </summary>
    public static string Aggregates()
    {
        var sql = new StringBuilder("""
            SUM(COALESCE(e.event_count, 1)),
            SUM(CASE WHEN e.kind = 'completion' THEN COALESCE(e.prompt_tokens, 0) ELSE 0 END),
            SUM(CASE WHEN e.kind = 'completion' THEN COALESCE(e.completion_tokens, 0) ELSE 0 END)
            """);
        AppendHistogram(sql, "e.latency_ms", LatencyBounds);
        AppendHistogram(sql, "e.gateway_ms", GatewayBounds);
        return sql.ToString();
    }

    /// <summary>The counted audit rows with id in (<c>@after</c>, <c>@upto</c>], each with its bucket and class.</summary>
    public static string Events(DatabaseEngine engine, long bucketMilliseconds) => $"""
        SELECT {Bucket(engine, bucketMilliseconds)} AS bucket, {Class} AS class, kind, team_id, key_id, model, provider,
               latency_ms, {GatewayMs(engine)} AS gateway_ms, prompt_tokens, completion_tokens, event_count
        FROM audit_events
        WHERE id > @after AND id <= @upto AND {CountedRows}
        """;

    /// <summary>
    /// A completion's gateway-added time from its <c>detail</c> (text on both engines). Only rows
    /// that name the field are parsed, so refusals and older completions cost a string search.
    /// </summary>
    private static string GatewayMs(DatabaseEngine engine)
    {
        const string Named = "kind = 'completion' AND detail LIKE '%\"gatewayMs\"%'";
        return engine == DatabaseEngine.Postgres
            ? $"CASE WHEN {Named} THEN (detail::jsonb ->> 'gatewayMs')::bigint END"
            : $"CASE WHEN {Named} AND json_valid(detail) THEN CAST(json_extract(detail, '$.gatewayMs') AS INTEGER) END";
    }

    /// <summary>Appends <c>count, sum, bin…</c> of <paramref name="column"/> over the completions.</summary>
    private static void AppendHistogram(StringBuilder sql, string column, long[] bounds)
    {
        sql.Append(CultureInfo.InvariantCulture, $",\n    SUM(CASE WHEN e.kind = 'completion' AND {column} IS NOT NULL THEN 1 ELSE 0 END)");
        sql.Append(CultureInfo.InvariantCulture, $",\n    SUM(CASE WHEN e.kind = 'completion' THEN COALESCE({column}, 0) ELSE 0 END)");
        for (var i = 0; i <= bounds.Length; i++)
        {
            var low = i == 0 ? "" : $" AND {column} >= {bounds[i - 1].ToString(CultureInfo.InvariantCulture)}";
            var high = i == bounds.Length ? "" : $" AND {column} < {bounds[i].ToString(CultureInfo.InvariantCulture)}";
            sql.Append(CultureInfo.InvariantCulture, $",\n    SUM(CASE WHEN e.kind = 'completion' AND {column} IS NOT NULL{low}{high} THEN 1 ELSE 0 END)");
        }
    }

    private static string Bins(string prefix, long[] bounds) =>
        string.Join(", ", Enumerable.Range(0, bounds.Length + 1).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// <see cref="Events"/> as the table <c>e</c>, computed once: inlined as a subquery, each of the
    /// histograms' references to <c>gateway_ms</c> (and each dimension of the cross join) would
    /// parse the row's <c>detail</c> again — measured at +10 to +20 ms per usage query on SQLite.
    /// </summary>
    public static string EventsTable(DatabaseEngine engine, long bucketMilliseconds) =>
        $"WITH e AS MATERIALIZED ({Events(engine, bucketMilliseconds)})";

    public static string DimensionValue(string alias) => $"""
        CASE {alias}.dim WHEN 'all' THEN '' WHEN 'team' THEN COALESCE(e.team_id, '') WHEN 'key' THEN COALESCE(e.key_id, '')
                         WHEN 'model' THEN COALESCE(e.model, '') ELSE COALESCE(e.provider, '') END
        """;

    public static string Dims() => string.Join(" UNION ALL ", Dimensions.Select(d => $"SELECT '{d}' AS dim"));

    /// <summary>Adds the events of an id range to a rollup table (<c>usage_minutes</c> or <c>usage_hours</c>).</summary>
    public static string RollUp(DatabaseEngine engine, string table, long bucketMilliseconds)
    {
        var sums = string.Join(", ", SummedColumns.Select(c => $"{c} = {table}.{c} + excluded.{c}"));

        // "WHERE 1 = 1" keeps SQLite's parser from reading ON CONFLICT as a join constraint.
        return $"""
            {EventsTable(engine, bucketMilliseconds)}
            INSERT INTO {table} (dim, value, bucket, class, {string.Join(", ", SummedColumns)})
            SELECT d.dim, {DimensionValue("d")}, e.bucket, e.class, {Aggregates()}
            FROM e CROSS JOIN ({Dims()}) d
            WHERE 1 = 1
            GROUP BY d.dim, {DimensionValue("d")}, e.bucket, e.class
            ON CONFLICT (dim, value, bucket, class) DO UPDATE SET {sums}
            """;
    }
}
