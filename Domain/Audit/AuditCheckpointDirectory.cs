using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Synapse.Audit;

/// <summary>
/// The manifest's copy outside the database: <c>{directory}/{partition}.manifest.jsonl</c>, one
/// JSON record per line, appended and flushed to disk, owner-only. One file per partition, so
/// writers sharing a directory (a cluster) never write the same file. In a cluster this is a
/// directory that every silo and front end mounts and the database's administrators cannot write.
/// </summary>
public sealed partial class AuditCheckpointDirectory(string path)
{
    public const string Extension = ".manifest.jsonl";

    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public void Append(AuditManifestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, AuditJsonContext.Default.AuditManifestRecord) + "\n");
        lock (_lock)
        {
            OwnerOnlyFiles.CreateDirectory(Path);
            using var file = OwnerOnlyFiles.OpenAppend(FileFor(record.Partition));
            file.Write(line);
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Whether any manifest file exists (cheap; for the start-up checks).</summary>
    public bool HasRecords() => Directory.Exists(Path) && Directory.EnumerateFiles(Path, "*" + Extension).Any();

    /// <summary>Every record in every file, and where a complete line does not parse.</summary>
    public AuditCheckpointDirectoryContents ReadAll()
    {
        var records = new List<AuditManifestRecord>();
        var unreadable = new List<string>();
        if (!Directory.Exists(Path))
        {
            return new AuditCheckpointDirectoryContents(records, unreadable);
        }

        foreach (var file in Directory.EnumerateFiles(Path, "*" + Extension).Order(StringComparer.Ordinal))
        {
            foreach (var (number, text) in JsonLines.ReadComplete(file))
            {
                if (Parse(text) is { } record)
                {
                    records.Add(record);
                }
                else
                {
                    unreadable.Add($"{System.IO.Path.GetFileName(file)} line {number}");
                }
            }
        }

        return new AuditCheckpointDirectoryContents(records, unreadable);
    }

    /// <summary>
    /// Copies every file into <paramref name="destination"/> (owner-only, new files), as of a copy
    /// of the database whose newest manifest record is <paramref name="upToSeq"/>: its complete lines
    /// up to that record, without the line being written and without the records the database copy
    /// does not have yet (a directory ahead of its database reads as records deleted from it). A
    /// complete line that does not parse is copied as it is, for verification to report. Returns
    /// how many files were copied.
    /// </summary>
    public int CopyTo(string destination, long upToSeq)
    {
        if (!Directory.Exists(Path))
        {
            return 0;
        }

        OwnerOnlyFiles.CreateDirectory(destination);
        var files = 0;
        foreach (var file in Directory.EnumerateFiles(Path, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var kept = new StringBuilder();
            foreach (var (_, text) in JsonLines.ReadComplete(file))
            {
                if (Parse(text) is not { } record || record.Seq <= upToSeq)
                {
                    kept.Append(text).Append('\n');
                }
            }

            OwnerOnlyFiles.WriteNew(System.IO.Path.Combine(destination, System.IO.Path.GetFileName(file)), kept.ToString());
            files++;
        }

        return files;
    }

    private string FileFor(string partition) =>
        SafeName().IsMatch(partition)
            ? System.IO.Path.Combine(Path, partition + Extension)
            : throw new ArgumentException("A partition id that is not a safe file name cannot be written to the checkpoint directory.", nameof(partition));

    private static AuditManifestRecord? Parse(string line)
    {
        try
        {
            var record = JsonSerializer.Deserialize(line, AuditJsonContext.Default.AuditManifestRecord);
            return record is { Prev: not null, Kind: not null, Partition: not null, Head: not null, Mac: not null } ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex SafeName();
}
