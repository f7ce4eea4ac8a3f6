using System.Globalization;
using System.Text;

namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// The evaluation as text: corpus composition, the per-category table (precision, recall, F2) and
/// every disagreement. Shared by the corpus test and the <c>dlp-eval</c> command of the benchmark
/// project, so both print the same thing.
/// </summary>
internal static class CorpusReport
{
    public static string Format(IReadOnlyList<CorpusSample> samples, IReadOnlyDictionary<string, CategoryScore> scores, IReadOnlyList<string> disagreements)
    {
        var text = new StringBuilder();
        var publicCount = samples.Count(s => s.IsPublic);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Corpus: {samples.Count} samples ({publicCount} from public sources, {100.0 * publicCount / samples.Count:0.0} %), {samples.Sum(s => s.Entities.Count)} expected matches, {samples.Count(s => s.Entities.Count == 0)} hard negatives.");
        text.AppendLine();
        text.AppendLine("| category | expected | TP | FP | FN | precision | recall | F2 |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var score in scores.Values)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {score.Category} | {score.TruePositives + score.FalseNegatives} | {score.TruePositives} | {score.FalsePositives} | {score.FalseNegatives} | {score.Precision:0.000} | {score.Recall:0.000} | {score.F2:0.000} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Disagreements: {disagreements.Count}");
        foreach (var disagreement in disagreements)
        {
            text.AppendLine(disagreement);
        }

        return text.ToString();
    }
}
