
namespace Synapse.Audit;

/// <summary>
/// The complete lines of an append-only JSON-lines file. A file whose last line has no line break
/// was cut off while it was being appended (power lost before the flush): that fragment was never
/// a record, so it is left out rather than reported. Removing it proves nothing an attacker could
/// not get by deleting the whole line.
/// </summary>
internal static class JsonLines
{
    public static IEnumerable<(int Number, string Text)> ReadComplete(string path)
    {
        var cutOff = EndsWithoutLineBreak(path);
        (int Number, string Text)? pending = null;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (pending is { } complete)
            {
                yield return complete;
            }

            pending = string.IsNullOrWhiteSpace(line) ? null : (number, line);
        }

        if (pending is { } last && !cutOff)
        {
            yield return last;
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
}
