using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Parses <c>{{category:value}}</c> markup into text plus expected entities. A value starting with
/// <c>$</c> is generated at run time by <see cref="SyntheticValues"/>; category <c>-</c> inserts a
/// value that must not match.
/// </summary>
internal static class CorpusMarkup
{
    public static CorpusSample Parse(string source, string line, SyntheticValues values)
    {
        var text = new StringBuilder();
        var entities = new List<CorpusEntity>();
        var pos = 0;
        line = line.Replace("\\n", "\n", StringComparison.Ordinal);
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

        return new CorpusSample(source, text.ToString(), entities);
    }
}
