
namespace Synapse.Audit;

/// <summary>Both copies of the manifest as read for a verification, and the checkpoint directory's lines that do not parse.</summary>
public sealed record AuditManifestContents(
    IReadOnlyList<AuditManifestRecord> Database,
    IReadOnlyList<AuditManifestRecord> Directory,
    IReadOnlyList<string> UnreadableLines,
    string DirectoryPath)
{
    public bool IsEmpty => Database.Count == 0 && Directory.Count == 0 && UnreadableLines.Count == 0;
}
