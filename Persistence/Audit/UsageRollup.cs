using System.Data.Common;
using System.Globalization;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Rolls <c>audit_events</c> up into <c>usage_minutes</c> and <c>usage_hours</c> by id, so usage
/// questions read a few thousand rows instead of millions. Ids are handed out before a batch
/// commits, so a row with a small id can appear after a larger one (several silos write at once):
/// the rollup therefore notes the newest id it sees, waits <see cref="SettleTime"/> (no audit
/// insert runs that long), and only then counts everything up to that id. Whatever is newer is
/// read straight from the log by <see cref="UsageQuery"/>. Any front end may run it; a lock on the
/// state row lets one run at a time. The tables are derived, never evidence (nothing verifies
/// them): when either is found empty although counted rows lie below the rolled-up id (someone
/// deleted them, to rebuild them or not), both are emptied and the rollup starts again from the
/// first event.
/// </summary>
public sealed class UsageRollup(SynapseDatabase database, TimeProvider timeProvider)
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Ids rolled up per transaction. On SQLite a transaction holds the database's one write lock,
    /// which the audit writer needs for every request: 100,000 ids at a time held it for seconds
    /// at 2,700 requests/s, long enough for audit appends to time out (503 <c>audit_unavailable</c>
    /// in a 10-minute soak). A chunk this size holds it for tens of milliseconds.
    /// </summary>
    public const long ChunkIds = 5_000;

    /// <summary>
    /// The pause between two chunks of one rollup: longer than Microsoft.Data.Sqlite's 150 ms wait
    /// between retries of a locked statement, so a writer kept waiting by one chunk gets the lock
    /// before the next chunk takes it again.
    /// </summary>
    public static readonly TimeSpan ChunkPause = TimeSpan.FromMilliseconds(250);

    private const long Minute = 60_000;
    private const long Hour = 3_600_000;

    private readonly string _minutes = UsageSql.RollUp(database.Engine, "usage_minutes", Minute);
    private readonly string _hours = UsageSql.RollUp(database.Engine, "usage_hours", Hour);

    // Each EXISTS stops at its first row: a usage table's, and (when one is empty) the log's first
    // counted row, near its start. Only a log with no counted row at all is read through, which
    // is what rolling it up costs anyway.
    private static readonly string Lost = $"""
        SELECT CASE WHEN (NOT EXISTS (SELECT 1 FROM usage_minutes) OR NOT EXISTS (SELECT 1 FROM usage_hours))
                     AND EXISTS (SELECT 1 FROM audit_events WHERE id <= @rolled AND {UsageSql.CountedRows}) THEN 1 ELSE 0 END
        """;

    /// <summary>Rolls up as far as is safe now; returns the id up to which every row is counted.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (rolled, more) = await StepAsync(cancellationToken).ConfigureAwait(false);
            if (!more)
            {
                return rolled;
            }

            await Task.Delay(ChunkPause, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(long Rolled, bool More)> StepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The write takes the row lock (PostgreSQL) or the database's write lock (SQLite) first.
        await DbCommands.ExecuteAsync(connection, transaction, "UPDATE usage_rollup_state SET id = id WHERE id = 1", cancellationToken).ConfigureAwait(false);
        long rolled;
        long? pendingId;
        long? pendingAt;
        await using (var read = DbCommands.Create(connection, transaction, "SELECT rolled_id, pending_id, pending_at FROM usage_rollup_state WHERE id = 1"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("usage_rollup_state has no row; the usage schema module did not run.");
            }

            rolled = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            pendingId = reader.IsDBNull(1) ? null : Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            pendingAt = reader.IsDBNull(2) ? null : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
        }

        if (rolled > 0 && await IsLostAsync(connection, transaction, rolled, cancellationToken).ConfigureAwait(false))
        {
            // Counted rows are missing from the tables: count everything again, in chunks as usual
            // (what has not been rolled up yet is read from the log by every query meanwhile).
            await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM usage_minutes", cancellationToken).ConfigureAwait(false);
            await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM usage_hours", cancellationToken).ConfigureAwait(false);
            rolled = 0;
        }

        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var more = false;
        if (pendingId is { } target && pendingAt is { } seenAt && now - seenAt >= (long)SettleTime.TotalMilliseconds)
        {
            var upTo = Math.Min(target, rolled + ChunkIds);
            foreach (var sql in new[] { _minutes, _hours })
            {
                await DbCommands.ExecuteAsync(connection, transaction, sql, cancellationToken, ("after", rolled), ("upto", upTo)).ConfigureAwait(false);
            }

            rolled = upTo;
            more = upTo < target;
            if (!more)
            {
                pendingId = null;
            }
        }

        if (pendingId is null)
        {
            await using var max = DbCommands.Create(connection, transaction, "SELECT COALESCE(MAX(id), 0) FROM audit_events");
            var newest = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            (pendingId, pendingAt) = newest > rolled ? (newest, now) : ((long?)null, (long?)null);
        }

        await DbCommands.ExecuteAsync(connection, transaction, "UPDATE usage_rollup_state SET rolled_id = @rolled, pending_id = @pending, pending_at = @at WHERE id = 1",
            cancellationToken, ("rolled", rolled), ("pending", pendingId), ("at", pendingAt)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (rolled, more);
    }

    private static async Task<bool> IsLostAsync(DbConnection connection, DbTransaction transaction, long rolled, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, Lost, ("rolled", rolled));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
    }
}
