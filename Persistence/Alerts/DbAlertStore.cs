using System.Data;
using System.Data.Common;
using Synapse.Alerts.Outbox;

namespace Synapse.Persistence.Alerts;

/// <summary>
/// The outbox on either engine. Every statement is shared; an engine supplies its connections and
/// the claim's row-locking clause (PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>: concurrent silos
/// claim disjoint rows without waiting for each other). Times are Unix milliseconds.
/// </summary>
internal abstract class DbAlertStore : IAlertStore
{
    private const string InsertAlertSql = """
        INSERT INTO alerts (alert_id, type, occurred_at, key_id, team_id, details, created_at)
        VALUES (@alert_id, @type, @occurred_at, @key_id, @team_id, @details, @now)
        ON CONFLICT (alert_id) DO NOTHING
        """;

    private const string InsertOutboxSql = """
        INSERT INTO alert_outbox (alert_id, webhook, state, attempts, next_attempt_at, created_at)
        VALUES (@alert_id, @webhook, 'pending', 0, @now, @now)
        ON CONFLICT (alert_id, webhook) DO NOTHING
        """;

    private const string ClaimedSql = """
        SELECT o.id, o.webhook, o.attempts, a.alert_id, a.type, a.occurred_at, a.key_id, a.team_id, a.details
        FROM alert_outbox o JOIN alerts a ON a.alert_id = o.alert_id
        WHERE o.lease_owner = @token AND o.state = 'pending'
        ORDER BY o.next_attempt_at, o.id
        """;

    private const string CompleteSql = """
        UPDATE alert_outbox
        SET state = @state, attempts = attempts + 1, next_attempt_at = COALESCE(@next, next_attempt_at),
            delivered_at = @delivered, last_status = @status, last_error = @error, lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND lease_owner = @token
        """;

    private const string DeliveryColumns = "alert_id, webhook, state, attempts, next_attempt_at, delivered_at, last_status, last_error";

    /// <summary>Appended to the claim's inner SELECT.</summary>
    protected abstract string ClaimLockClause { get; }

    public async Task AddAsync(IReadOnlyList<StoredAlert> alerts, IReadOnlyList<IReadOnlyList<string>> webhooks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(webhooks);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = alerts[i];
            await using (var insert = Command(connection, transaction, InsertAlertSql))
            {
                Add(insert, "alert_id", alert.Id.ToString("D"), DbType.String);
                Add(insert, "type", alert.Type, DbType.String);
                Add(insert, "occurred_at", alert.OccurredAt.ToUnixTimeMilliseconds(), DbType.Int64);
                Add(insert, "key_id", alert.KeyId, DbType.String);
                Add(insert, "team_id", alert.TeamId, DbType.String);
                Add(insert, "details", alert.DetailsJson, DbType.String);
                Add(insert, "now", now.ToUnixTimeMilliseconds(), DbType.Int64);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var webhook in webhooks[i])
            {
                await using var outbox = Command(connection, transaction, InsertOutboxSql);
                Add(outbox, "alert_id", alert.Id.ToString("D"), DbType.String);
                Add(outbox, "webhook", webhook, DbType.String);
                Add(outbox, "now", now.ToUnixTimeMilliseconds(), DbType.Int64);
                await outbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var claim = Command(connection, null, $"""
            UPDATE alert_outbox SET lease_owner = @token, lease_until = @until
            WHERE id IN (
                SELECT id FROM alert_outbox
                WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
                ORDER BY next_attempt_at, id
                LIMIT @max{ClaimLockClause})
            """))
        {
            Add(claim, "token", token, DbType.String);
            Add(claim, "until", (now + lease).ToUnixTimeMilliseconds(), DbType.Int64);
            Add(claim, "now", now.ToUnixTimeMilliseconds(), DbType.Int64);
            Add(claim, "max", max, DbType.Int32);
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return [];
            }
        }

        await using var select = Command(connection, null, ClaimedSql);
        Add(select, "token", token, DbType.String);
        var items = new List<OutboxItem>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var alert = new StoredAlert(Guid.Parse(reader.GetString(3)), reader.GetString(4), Time(reader.GetInt64(5)), Text(reader, 6), Text(reader, 7), reader.GetString(8));
            items.Add(new OutboxItem(reader.GetInt64(0), reader.GetString(1), Int(reader, 2)!.Value, alert, token));
        }

        return items;
    }

    public async Task<bool> CompleteAsync(OutboxItem item, AttemptResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(result);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, CompleteSql);
        Add(command, "state", result.State, DbType.String);
        Add(command, "next", result.NextAttemptAt?.ToUnixTimeMilliseconds(), DbType.Int64);
        Add(command, "delivered", result.State == OutboxStates.Delivered ? result.At.ToUnixTimeMilliseconds() : null, DbType.Int64);
        Add(command, "status", result.Status, DbType.Int32);
        Add(command, "error", result.Error, DbType.String);
        Add(command, "id", item.Id, DbType.Int64);
        Add(command, "token", item.LeaseToken, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT count(*) FROM alert_outbox WHERE state = 'pending'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<AlertListing>> ListAsync(int limit, string? type, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var alerts = new List<StoredAlert>();
        await using (var command = Command(connection, null,
            "SELECT alert_id, type, occurred_at, key_id, team_id, details FROM alerts" + (type is null ? "" : " WHERE type = @type") + " ORDER BY id DESC LIMIT @limit"))
        {
            if (type is not null)
            {
                Add(command, "type", type, DbType.String);
            }

            Add(command, "limit", limit, DbType.Int32);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                alerts.Add(new StoredAlert(Guid.Parse(reader.GetString(0)), reader.GetString(1), Time(reader.GetInt64(2)), Text(reader, 3), Text(reader, 4), reader.GetString(5)));
            }
        }

        if (alerts.Count == 0)
        {
            return [];
        }

        var deliveries = new Dictionary<string, List<DeliveryStatus>>(StringComparer.Ordinal);
        await using (var command = Command(connection, null,
            $"SELECT {DeliveryColumns} FROM alert_outbox WHERE alert_id IN ({string.Join(", ", alerts.Select((_, i) => "@a" + i))}) ORDER BY webhook"))
        {
            for (var i = 0; i < alerts.Count; i++)
            {
                Add(command, "a" + i, alerts[i].Id.ToString("D"), DbType.String);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var status = new DeliveryStatus(
                    reader.GetString(1), reader.GetString(2), Int(reader, 3)!.Value,
                    reader.IsDBNull(4) ? null : Time(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : Time(reader.GetInt64(5)),
                    Int(reader, 6), Text(reader, 7));
                var alertId = reader.GetString(0);
                if (!deliveries.TryGetValue(alertId, out var list))
                {
                    deliveries[alertId] = list = [];
                }

                list.Add(status);
            }
        }

        return alerts.Select(a => new AlertListing(a, deliveries.GetValueOrDefault(a.Id.ToString("D")) ?? [])).ToList();
    }

    public async Task<bool> RetryAsync(Guid alertId, string webhook, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            UPDATE alert_outbox SET state = 'pending', next_attempt_at = @now, lease_owner = NULL, lease_until = NULL
            WHERE alert_id = @alert_id AND webhook = @webhook AND state = 'failed'
            """);
        Add(command, "now", now.ToUnixTimeMilliseconds(), DbType.Int64);
        Add(command, "alert_id", alertId.ToString("D"), DbType.String);
        Add(command, "webhook", webhook, DbType.String);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from constants; every value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static int? Int(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
