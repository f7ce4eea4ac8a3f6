namespace Synapse.Tests.Dlp.Corpus;

/// <summary>The whole evaluation corpus: hand-written samples plus the seeded generated ones.</summary>
internal static class DlpCorpus
{
    public static IReadOnlyList<CorpusSample> Load(int seed = 20240601)
    {
        var values = new SyntheticValues(seed);
        var samples = new List<CorpusSample>();
        var lineNumber = 0;
        foreach (var line in HandwrittenCorpus.Text.Split('\n'))
        {
            lineNumber++;
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                samples.Add(CorpusMarkup.Parse($"handwritten:{lineNumber}", line, values));
            }
        }

        samples.AddRange(GeneratedCorpus.Create(values));
        return samples;
    }
}
