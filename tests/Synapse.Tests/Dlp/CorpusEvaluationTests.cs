using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;
using Xunit;
using Xunit.Abstractions;

namespace Synapse.Tests.Dlp;

public sealed class CorpusEvaluationTests(ITestOutputHelper output)
{
    private const double Bar = 0.99;

    [Fact]
    public void Corpus_EveryCategory_HasPrecisionAndRecallOfAtLeast099()
    {
        var samples = DlpCorpus.Load();
        var disagreements = new List<string>();
        var scores = CorpusEvaluator.Evaluate(TestScanners.Create(DlpPolicy.Default), samples, disagreements);
        output.WriteLine(CorpusReport.Format(samples, scores, disagreements));

        foreach (var score in scores.Values)
        {
            Assert.True(score.TruePositives + score.FalseNegatives >= 20, $"{score.Category}: too few positives in the corpus.");
            Assert.True(score.Precision >= Bar, $"{score.Category}: precision {score.Precision:0.000} < {Bar}");
            Assert.True(score.Recall >= Bar, $"{score.Category}: recall {score.Recall:0.000} < {Bar}");
        }
    }

    [Fact]
    public void Corpus_AtLeastHalfOfTheSamples_ComeFromCitedPublicSources()
    {
        var samples = DlpCorpus.Load();
        var publicSamples = samples.Where(s => s.IsPublic).ToList();

        Assert.True(publicSamples.Count * 2 >= samples.Count, $"{publicSamples.Count} of {samples.Count} samples are from public sources.");
        Assert.All(publicSamples, s => Assert.Contains("(", s.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Corpus_HardNegatives_KeepPrecisionOnEveryCategory()
    {
        // Only the samples with nothing to find: any finding at all is a false positive.
        var negatives = DlpCorpus.Load().Where(s => s.Entities.Count == 0).ToList();
        var scanner = TestScanners.Create(DlpPolicy.Default);
        var flagged = negatives.Where(s => scanner.Scan(s.Text).Findings.Count > 0).Select(s => s.Source).ToList();

        Assert.True(negatives.Count >= 300, $"only {negatives.Count} hard negatives");
        Assert.True(flagged.Count <= negatives.Count / 100, $"{flagged.Count} of {negatives.Count} hard negatives flagged: {string.Join(", ", flagged)}");
    }
}
