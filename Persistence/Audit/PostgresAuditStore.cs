using System.Data.Common;
using Npgsql;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>
/// <c>audit_events</c> on PostgreSQL. A batch is one transaction: <c>SET LOCAL ROLE
/// synapse_audit_writer</c> (so the write runs with INSERT/SELECT only, whoever the login is) and
/// one <c>INSERT … SELECT FROM unnest(arrays) … ON CONFLICT DO NOTHING</c>, sent together.
/// </summary>
internal sealed class PostgresAuditStore(NpgsqlDataSource dataSource) : DbAuditStore, IAsyncDisposable
{
    private const string SetRoleSql = $"SET LOCAL ROLE {AuditSchema.WriterRole}";

    private const string InsertSql = $"""
        INSERT INTO audit_events ({AuditSql.InsertColumns})
        SELECT u.event_id, $1, u.partition_seq, u.kind, u.occurred_at, u.request_id, u.key_id, u.team_id, u.model, u.provider,
               u.provider_location, u.outcome, u.http_status, u.dlp_categories, u.dlp_actions, u.prompt_sha256, u.response_sha256,
               u.prompt_tokens, u.completion_tokens, u.latency_ms, u.actor, u.action, u.target, u.api, u.client_address, u.user_agent,
               u.detail, u.event_count, u.prev_hash, u.row_hash
        FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::text[], $11::text[], $12::text[], $13::integer[], $14::text[], $15::text[], $16::text[], $17::text[],
                    $18::integer[], $19::integer[], $20::bigint[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
                    $26::text[], $27::text[], $28::integer[], $29::text[], $30::text[])
             WITH ORDINALITY AS u(event_id, partition_seq, kind, occurred_at, request_id, key_id, team_id, model, provider,
                                  provider_location, outcome, http_status, dlp_categories, dlp_actions, prompt_sha256, response_sha256,
                                  prompt_tokens, completion_tokens, latency_ms, actor, action, target, api, client_address,
                                  user_agent, detail, event_count, prev_hash, row_hash, ord)
        ORDER BY u.ord
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    private const string ExistingSql = "SELECT event_id FROM audit_events WHERE event_id = ANY($1)";

    public override async Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return AuditAppendResult.Written(0);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand(SetRoleSql), Insert(rows) },
        };

        long lastId = 0;
        var inserted = 0;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastId = Math.Max(lastId, reader.GetInt64(0));
                inserted++;
            }
        }

        if (inserted == rows.Count)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return AuditAppendResult.Written(lastId);
        }

        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        return AuditAppendResult.NotWritten(await ExistingAsync(connection, rows, cancellationToken).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override object TimeParameter(DateTimeOffset time) => AuditText.TruncateToMicroseconds(time).UtcDateTime;

    private static NpgsqlBatchCommand Insert(IReadOnlyList<AuditRow> rows)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = rows[0].PartitionId });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.EventId).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Seq).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => AuditText.Kind(r.Record.Kind)).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => AuditText.TruncateToMicroseconds(r.Record.Time).UtcDateTime).ToArray() });
        p.Add(Texts(rows, r => r.RequestId));
        p.Add(Texts(rows, r => r.KeyId));
        p.Add(Texts(rows, r => r.TeamId));
        p.Add(Texts(rows, r => r.Model));
        p.Add(Texts(rows, r => r.Provider));
        p.Add(Texts(rows, r => AuditText.Location(r.ProviderLocation)));
        p.Add(Texts(rows, r => r.Outcome));
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.HttpStatus).ToArray() });
        p.Add(Texts(rows, r => AuditText.List(r.DlpCategories)));
        p.Add(Texts(rows, r => AuditText.List(r.DlpActions)));
        p.Add(Texts(rows, r => r.PromptSha256));
        p.Add(Texts(rows, r => r.ResponseSha256));
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.PromptTokens).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.CompletionTokens).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.LatencyMs).ToArray() });
        p.Add(Texts(rows, r => r.Actor));
        p.Add(Texts(rows, r => r.Action));
        p.Add(Texts(rows, r => r.Target));
        p.Add(Texts(rows, r => r.Api));
        p.Add(Texts(rows, r => r.ClientAddress));
        p.Add(Texts(rows, r => r.UserAgent));
        p.Add(Texts(rows, r => r.Detail));
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.Count).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.PrevHash).ToArray() });
        p.Add(new NpgsqlParameter { Value = rows.Select(r => r.RowHash).ToArray() });
        return command;
    }

    private static NpgsqlParameter Texts(IReadOnlyList<AuditRow> rows, Func<Grains.Interfaces.Audit.AuditRecord, string?> field) =>
        new() { Value = rows.Select(r => field(r.Record)).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text };

    private static async Task<IReadOnlyList<Guid>> ExistingAsync(NpgsqlConnection connection, IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ExistingSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Record.EventId).ToArray() });
        var existing = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing.Add(reader.GetGuid(0));
        }

        return existing;
    }
}
