using System.Text;
using System.Text.Json;

namespace Synapse.Audit;

/// <summary>
/// The checkpoint files: <c>{directory}/{partition}.jsonl</c>, one JSON object per line, appended
/// and flushed to disk. One file per partition, so silos sharing a directory never write the same file.
/// </summary>
public sealed class AuditCheckpointLog(string directory)
{
    private const string Extension = ".jsonl";
    private readonly Lock _lock = new();

    public string Directory { get; } = directory;

    public void Append(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var line = JsonSerializer.Serialize(checkpoint, AuditJsonContext.Default.AuditCheckpoint) + "\n";
        lock (_lock)
        {
            System.IO.Directory.CreateDirectory(Directory);
            using var file = new FileStream(Path.Combine(Directory, checkpoint.Partition + Extension), FileMode.Append, FileAccess.Write, FileShare.Read);
            file.Write(Encoding.UTF8.GetBytes(line));
            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// Every checkpoint on disk; a line that does not parse comes back as null. A file whose last
    /// line has no line break was cut off while it was being appended (power lost before the
    /// flush): that fragment was never a checkpoint, so it is skipped rather than reported.
    /// Removing it proves nothing an attacker could not get by deleting the whole line.
    /// </summary>
    public IEnumerable<AuditCheckpoint?> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var cutOff = EndsWithoutLineBreak(path);
            string? pending = null;
            foreach (var line in File.ReadLines(path))
            {
                if (pending is not null)
                {
                    yield return Parse(pending);
                }

                pending = string.IsNullOrWhiteSpace(line) ? null : line;
            }

            if (pending is not null && !cutOff)
            {
                yield return Parse(pending);
            }
        }
    }

    private static bool EndsWithoutLineBreak(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (file.Length == 0)
        {
            return false;
        }

        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }

    private static AuditCheckpoint? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, AuditJsonContext.Default.AuditCheckpoint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
