using System.Text;
using System.Text.Json;
using Synapse.Audit;
using Synapse.Grains.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>Writes events one by one as they are read, as CSV (RFC 4180, header first) or JSON lines.</summary>
internal static class AuditExport
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";

    private const int FlushEvery = 500;

    private static readonly string[] CsvHeader =
    [
        "id", "event_id", "kind", "time", "request_id", "key_id", "team_id", "model", "provider", "provider_location", "outcome",
        "http_status", "dlp_categories", "dlp_actions", "prompt_sha256", "response_sha256", "prompt_tokens", "completion_tokens",
        "latency_ms", "actor", "action", "target", "api", "client_address", "user_agent", "detail", "count", "partition_id", "partition_seq", "prev_hash", "row_hash",
    ];

    public static string ContentType(string format) => format == Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";

    /// <summary>Writes the rows and returns how many were written.</summary>
    public static async Task<long> WriteAsync(Stream body, string format, IAsyncEnumerable<AuditRow> rows, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
        if (format == Csv)
        {
            await writer.WriteLineAsync(string.Join(',', CsvHeader)).ConfigureAwait(false);
        }

        var count = 0L;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var line = format == Csv ? CsvLine(row) : JsonSerializer.Serialize(AuditEventView.From(row), json);
            await writer.WriteAsync(line).ConfigureAwait(false);
            await writer.WriteAsync('\n').ConfigureAwait(false);
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static string CsvLine(AuditRow row)
    {
        var v = AuditEventView.From(row);
        string?[] fields =
        [
            Number(v.Id), v.EventId.ToString("D"), v.Kind, AuditText.FormatTime(v.Time), v.RequestId, v.KeyId, v.TeamId, v.Model,
            v.Provider, v.ProviderLocation, v.Outcome, Number(v.HttpStatus), AuditText.List(v.DlpCategories), AuditText.List(v.DlpActions),
            v.PromptSha256, v.ResponseSha256, Number(v.PromptTokens), Number(v.CompletionTokens), Number(v.LatencyMs), v.Actor,
            v.Action, v.Target, v.Api, v.ClientAddress, v.UserAgent, v.Detail, Number(v.Count), v.PartitionId, Number(v.PartitionSeq), v.PrevHash, v.RowHash,
        ];
        return string.Join(',', fields.Select(Escape));
    }

    // A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
    // formula: "-1+HYPERLINK(…)" too, so only a value that is wholly a number may keep its sign.
    private static bool IsFormulaLike(string value) =>
        value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string? Number(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Quote what needs quoting, and defuse cells a spreadsheet would run as a formula.
    private static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (IsFormulaLike(value))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
