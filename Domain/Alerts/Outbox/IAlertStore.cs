
namespace Synapse.Alerts.Outbox;

/// <summary>
/// The durable outbox: <c>alerts</c> (one row per alert) and <c>alert_outbox</c> (one row per
/// alert per webhook), in the SQLite file or in PostgreSQL. Claims are leases: a row claimed by
/// one silo is invisible to others until its result is written or the lease runs out (a crashed
/// silo's rows come back), and only the holder of the lease can write the result.
/// </summary>
public interface IAlertStore
{
    /// <summary>Stores alerts and their outbox rows in one transaction; an alert id already stored is skipped.</summary>
    Task AddAsync(IReadOnlyList<StoredAlert> alerts, IReadOnlyList<IReadOnlyList<string>> webhooks, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="max"/> pending rows that are due and not leased, oldest due first.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records an attempt and ends the lease; false when the lease was lost (another silo took the row over).</summary>
    Task<bool> CompleteAsync(OutboxItem item, AttemptResult result, CancellationToken cancellationToken);

    /// <summary>How many deliveries are pending (not yet delivered nor given up).</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>The newest alerts (optionally of one type) with their deliveries.</summary>
    Task<IReadOnlyList<AlertListing>> ListAsync(int limit, string? type, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a delivery that gave up (<c>failed</c>) back in the queue, due now, keeping its attempt
    /// count; false when there is no such failed delivery.
    /// </summary>
    Task<bool> RetryAsync(Guid alertId, string webhook, DateTimeOffset now, CancellationToken cancellationToken);
}
