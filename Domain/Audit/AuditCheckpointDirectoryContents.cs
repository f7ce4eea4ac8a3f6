
namespace Synapse.Audit;

/// <summary>What <see cref="AuditCheckpointDirectory.ReadAll"/> found: the records, and the lines that do not parse (file and line number).</summary>
public sealed record AuditCheckpointDirectoryContents(IReadOnlyList<AuditManifestRecord> Records, IReadOnlyList<string> Unreadable);
