using System.Reflection;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>The audit schema script embedded from <c>Audit/Sql/{engine}/</c>, and the column list shared by every query.</summary>
internal static class AuditSql
{
    /// <summary>Every column in the order <see cref="AuditRowReader"/> reads them.</summary>
    public const string Columns =
        "id, event_id, partition_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider, " +
        "provider_location, outcome, http_status, dlp_categories, dlp_actions, prompt_sha256, response_sha256, " +
        "prompt_tokens, completion_tokens, latency_ms, actor, action, target, prev_hash, row_hash";

    /// <summary>The columns an insert supplies (all but <c>id</c>).</summary>
    public const string InsertColumns =
        "event_id, partition_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider, " +
        "provider_location, outcome, http_status, dlp_categories, dlp_actions, prompt_sha256, response_sha256, " +
        "prompt_tokens, completion_tokens, latency_ms, actor, action, target, prev_hash, row_hash";

    public const int InsertColumnCount = 25;

    private static readonly Assembly ResourceAssembly = typeof(AuditSql).Assembly;

    public static string Schema(DatabaseEngine engine)
    {
        var folder = engine == DatabaseEngine.Postgres ? "PostgreSQL" : "Sqlite";
        var name = $"Synapse.Persistence.Audit.Sql.{folder}.01-audit-events.sql";
        using var stream = ResourceAssembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
