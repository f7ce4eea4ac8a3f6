namespace Synapse.Persistence.Audit;

/// <summary>The column lists shared by every audit query.</summary>
internal static class AuditSql
{
    /// <summary>Every column in the order <see cref="AuditRowReader"/> reads them.</summary>
    public const string Columns =
        "id, event_id, partition_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider, " +
        "provider_location, outcome, http_status, dlp_categories, dlp_actions, prompt_sha256, response_sha256, " +
        "prompt_tokens, completion_tokens, latency_ms, actor, action, target, api, client_address, user_agent, detail, event_count, " +
        "prev_hash, row_hash";

    /// <summary>The columns an insert supplies (all but <c>id</c>).</summary>
    public const string InsertColumns =
        "event_id, partition_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider, " +
        "provider_location, outcome, http_status, dlp_categories, dlp_actions, prompt_sha256, response_sha256, " +
        "prompt_tokens, completion_tokens, latency_ms, actor, action, target, api, client_address, user_agent, detail, event_count, " +
        "prev_hash, row_hash";

    public const int InsertColumnCount = 30;

}
