
namespace Synapse.Audit;

/// <summary>
/// What a silo checks before its writer appends to an existing log, so that a mistake fails the
/// start with a message instead of producing history that cannot be verified:
/// the signing key must be the one the manifest was signed with (a key lost with a container and
/// generated anew would sign a second, unrelated history), and a log written by the first release
/// (rows, no manifest) must be sealed by an operator before new rows follow it; and a database
/// whose manifest is gone while the checkpoint directory still holds one is not silently restarted.
/// </summary>
public sealed class AuditLogStartCheck(IAuditStore store, AuditManifest manifest, AuditKeys keys)
{
    // Genuine records take the lowest numbers; inserted ones can only come after them.
    private const int RecordsChecked = 16;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The directory first: a record reaches it only after the database, so a directory that
        // holds records while the database holds none is never a writer starting at the same time.
        var directoryHasRecords = manifest.Directory.HasRecords();
        var first = await manifest.ReadFirstAsync(RecordsChecked, cancellationToken).ConfigureAwait(false);
        if (first.Count > 0)
        {
            if (!first.Any(manifest.Signer.IsValid))
            {
                throw new InvalidOperationException(
                    $"The audit signing key ({keys.SigningKeySource}) does not verify the audit log's manifest: it is not the key this log was written with. " +
                    "Restore the original key (Synapse:Audit:SigningKey, or the file in Synapse:Audit:KeyDirectory); a new key cannot verify the existing history (docs/audit.md).");
            }

            return;
        }

        if (directoryHasRecords)
        {
            throw new InvalidOperationException(
                $"The checkpoint directory {manifest.Directory.Path} holds audit manifest records but the database holds none: the database was replaced, or its manifest deleted. " +
                "Restore the database; to start a new log instead, move the checkpoint directory aside (docs/audit.md).");
        }

        if ((await store.QueryAsync(new AuditQuery(Limit: 1), cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw new InvalidOperationException(
                "The audit log holds rows but no manifest: it was written by the first release (unkeyed v1 chain), or its manifest was deleted. " +
                "If you are upgrading, run 'audit seal-legacy' once with this configuration, then start again (docs/audit.md, Upgrading from the first release).");
        }
    }
}
