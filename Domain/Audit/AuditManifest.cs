using Microsoft.Extensions.Logging;

namespace Synapse.Audit;

/// <summary>
/// The signed manifest of partitions, kept twice: in the database (<see cref="IAuditManifestStore"/>,
/// one chain for every writer of a cluster) and, record for record, in the checkpoint directory
/// outside it (<see cref="AuditCheckpointDirectory"/>). A record reaches the database first (which
/// gives it its place in the chain), then the directory. A copy that cannot be written is logged
/// and retried before the next record, so the directory never skips one.
/// </summary>
public sealed partial class AuditManifest(IAuditManifestStore store, AuditCheckpointDirectory directory, AuditManifestSigner signer, ILogger<AuditManifest> logger)
{
    private readonly Lock _copyLock = new();
    private readonly List<AuditManifestRecord> _uncopied = [];

    public AuditCheckpointDirectory Directory => directory;

    public AuditManifestSigner Signer => signer;

    public Task<AuditManifestRecord> AppendAsync(string kind, AuditPartition head, DateTimeOffset at, CancellationToken cancellationToken) =>
        AppendAsync(kind, head, at, _ => true, cancellationToken);

    /// <summary>
    /// Appends a record unless <paramref name="mayFollow"/> refuses the newest record it would
    /// follow (checked inside the database's exclusive transaction).
    /// </summary>
    public async Task<AuditManifestRecord> AppendAsync(string kind, AuditPartition head, DateTimeOffset at, Func<AuditManifestRecord?, bool> mayFollow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mayFollow);
        var record = await store.AppendAsync(
            previous => mayFollow(previous)
                ? signer.Next(previous, kind, head, at)
                : throw new InvalidOperationException("Another process wrote to the audit manifest at the same time; nothing was appended."),
            cancellationToken).ConfigureAwait(false);
        Copy(record);
        return record;
    }

    /// <summary>
    /// Both copies. The directory is read first: a record reaches it only after the database, so
    /// whatever the directory holds is already in the database, unless someone removed it there.
    /// </summary>
    public async Task<AuditManifestContents> ReadAsync(CancellationToken cancellationToken)
    {
        var copy = directory.ReadAll();
        var database = new List<AuditManifestRecord>();
        await foreach (var record in store.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            database.Add(record);
        }

        return new AuditManifestContents(database, copy.Records, copy.Unreadable, directory.Path);
    }

    /// <inheritdoc cref="IAuditManifestStore.ReadLastRowAsync"/>
    public Task<AuditRow?> ReadLastRowAsync(string partitionId, CancellationToken cancellationToken) => store.ReadLastRowAsync(partitionId, cancellationToken);

    /// <summary>The database copy's records of one partition, in chain order.</summary>
    public Task<IReadOnlyList<AuditManifestRecord>> ReadPartitionAsync(string partitionId, CancellationToken cancellationToken) =>
        store.ReadPartitionAsync(partitionId, cancellationToken);

    /// <summary>The first <paramref name="count"/> records of the database copy (for the start-up checks).</summary>
    public Task<IReadOnlyList<AuditManifestRecord>> ReadFirstAsync(int count, CancellationToken cancellationToken) =>
        store.ReadFirstAsync(count, cancellationToken);

    private void Copy(AuditManifestRecord record)
    {
        lock (_copyLock)
        {
            _uncopied.Add(record);
            try
            {
                while (_uncopied.Count > 0)
                {
                    directory.Append(_uncopied[0]);
                    _uncopied.RemoveAt(0);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CopyFailed(logger, e, _uncopied.Count, directory.Path);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Count} audit manifest record(s) could not be copied to the checkpoint directory {Directory}; retried with the next record")]
        public static partial void CopyFailed(ILogger logger, Exception exception, int count, string directory);
    }
}
