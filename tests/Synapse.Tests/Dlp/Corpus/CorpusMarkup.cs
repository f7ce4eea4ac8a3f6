using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Parses corpus text: one sample per line, <c>{{category:value}}</c> marking an expected match. A
/// value starting with <c>$</c> is generated at run time by <see cref="SyntheticValues"/>; category
/// <c>-</c> inserts a value that must not match. <c>\n</c> stands for a newline, <c>{BS}</c> for a
/// backslash (so <c>{BS}n</c> is the two characters of an escaped line break), and <c>~~</c> is
/// removed (it splits key-shaped literals so that no secret scanner flags the source file). A line
/// <c># source: …</c> names where the following lines' values come from, and marks them public.
/// </summary>
internal static class CorpusMarkup
{
    private const string SourceDirective = "# source:";

    public static IEnumerable<CorpusSample> ParseAll(string origin, string text, SyntheticValues values)
    {
        var lineNumber = 0;
        string? source = null;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.StartsWith(SourceDirective, StringComparison.Ordinal))
            {
                source = line[SourceDirective.Length..].Trim();
                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var label = source is null ? $"{origin}:{lineNumber}" : $"{origin}:{lineNumber} ({source})";
            yield return Parse(label, line, values, isPublic: source is not null);
        }
    }

    public static CorpusSample Parse(string source, string line, SyntheticValues values, bool isPublic = false)
    {
        var text = new StringBuilder();
        var entities = new List<CorpusEntity>();
        var pos = 0;
        line = line.Replace("\\n", "\n", StringComparison.Ordinal).Replace("~~", string.Empty, StringComparison.Ordinal).Replace("{BS}", "\\", StringComparison.Ordinal);
        while (pos < line.Length)
        {
            var open = line.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                text.Append(line, pos, line.Length - pos);
                break;
            }

            text.Append(line, pos, open - pos);
            var close = line.IndexOf("}}", open, StringComparison.Ordinal);
            var colon = line.IndexOf(':', open);
            var category = line[(open + 2)..colon];
            var value = line[(colon + 1)..close];
            if (value.StartsWith('$'))
            {
                value = values.Generate(value[1..]);
            }

            if (category != "-")
            {
                entities.Add(new CorpusEntity(category, text.Length, value.Length));
            }

            text.Append(value);
            pos = close + 2;
        }

        return new CorpusSample(source, text.ToString(), entities, isPublic);
    }
}
