using Synapse.Dlp;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// Scores a scanner against the corpus. An expected entity is found when a finding of its category
/// covers it entirely (so the redaction hides all of it); a finding is a false positive when it
/// overlaps no expected entity of its category.
/// </summary>
internal static class CorpusEvaluator
{
    public static IReadOnlyDictionary<string, CategoryScore> Evaluate(DlpScanner scanner, IEnumerable<CorpusSample> samples, List<string> misses)
    {
        var scores = DlpCategories.BuiltIn.ToDictionary(c => c, c => new CategoryScore(c), StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var findings = scanner.Scan(sample.Text).Findings;
            foreach (var entity in sample.Entities)
            {
                var found = findings.Any(f => f.Category == entity.Category && f.Start <= entity.Start && f.End >= entity.End);
                if (found)
                {
                    scores[entity.Category].TruePositives++;
                }
                else
                {
                    scores[entity.Category].FalseNegatives++;
                    misses.Add($"MISSED {entity.Category} in {sample.Source}: {Describe(sample.Text, findings)}");
                }
            }

            foreach (var finding in findings)
            {
                var expected = sample.Entities.Any(e => e.Category == finding.Category && finding.Start < e.End && e.Start < finding.End);
                if (!expected)
                {
                    scores[finding.Category].FalsePositives++;
                    misses.Add($"FALSE {finding.Category} [{finding.Start},{finding.End}) in {sample.Source}: {Describe(sample.Text, findings)}");
                }
            }
        }

        return scores;
    }

    private static string Describe(string text, IReadOnlyList<DlpFinding> findings) =>
        $"\"{text.Replace("\n", "\\n", StringComparison.Ordinal)}\" findings: {string.Join(", ", findings.Select(f => $"{f.Category}[{f.Start},{f.End})"))}";
}
