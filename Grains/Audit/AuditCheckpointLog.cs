using System.Text;
using System.Text.Json;

namespace Synapse.Grains.Audit;

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

    /// <summary>Every checkpoint on disk; a line that does not parse comes back as null.</summary>
    public IEnumerable<AuditCheckpoint?> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                yield return Parse(line);
            }
        }
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
