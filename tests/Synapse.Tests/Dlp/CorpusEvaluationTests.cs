using System.Globalization;
using System.Text;
using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace Synapse.Tests.Dlp;

public sealed class CorpusEvaluationTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> StrictCategories = [DlpCategories.CreditCard, DlpCategories.Iban, DlpCategories.UsSsn];

    [Fact]
    public void Corpus_PrecisionAndRecall_MeetTheBar()
    {
        var samples = DlpCorpus.Load();
        var misses = new List<string>();
        var scores = CorpusEvaluator.Evaluate(new DlpScanner(DlpPolicy.Default), samples, misses);

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Corpus: {samples.Count} samples, {samples.Sum(s => s.Entities.Count)} expected matches, {samples.Count(s => s.Entities.Count == 0)} hard negatives.");
        table.AppendLine("| category | expected | TP | FP | FN | precision | recall | F2 |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var score in scores.Values)
        {
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {score.Category} | {score.TruePositives + score.FalseNegatives} | {score.TruePositives} | {score.FalsePositives} | {score.FalseNegatives} | {score.Precision:0.000} | {score.Recall:0.000} | {score.F2:0.000} |");
        }

        output.WriteLine(table.ToString());
        foreach (var miss in misses)
        {
            output.WriteLine(miss);
        }

        foreach (var score in scores.Values)
        {
            var bar = StrictCategories.Contains(score.Category) ? 0.99 : 0.97;
            Assert.True(score.TruePositives + score.FalseNegatives >= 20, $"{score.Category}: too few positives in the corpus.");
            Assert.True(score.Precision >= bar, $"{score.Category}: precision {score.Precision:0.000} < {bar}");
            Assert.True(score.Recall >= bar, $"{score.Category}: recall {score.Recall:0.000} < {bar}");
        }
    }
}
