using System.Data.Common;
using Npgsql;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>
/// <c>audit_manifest</c> on PostgreSQL. Silos of a cluster append to one chain, so an append takes
/// a transaction-scoped advisory lock, reads the newest record and inserts the next one, all
/// under <c>SET LOCAL ROLE synapse_audit_writer</c>. A row inserted meanwhile by someone who
/// skipped the lock takes the number first; the append then starts over after it.
/// </summary>
internal sealed class PostgresAuditManifestStore(NpgsqlDataSource dataSource) : DbAuditManifestStore, IAsyncDisposable
{
    // Any fixed number shared by every Synapse process; distinct from the schema installer's.
    private const long AppendLockKey = 0x53796E4D616E6966; // "SynManif"
    private const int Attempts = 3;

    public override async Task<AuditManifestRecord> AppendAsync(Func<AuditManifestRecord?, AuditManifestRecord> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var setup = new NpgsqlCommand($"SET LOCAL ROLE {AuditSchema.WriterRole}; SELECT pg_advisory_xact_lock({AppendLockKey})", connection, transaction))
            {
                await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var record = next(await LastAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
            await using var insert = new NpgsqlCommand(InsertSql + " ON CONFLICT (seq) DO NOTHING", connection, transaction);
            Bind(insert, record);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return record;
            }

            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            if (attempt == Attempts)
            {
                throw new InvalidOperationException("The audit manifest's next number was taken on every attempt.");
            }
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
