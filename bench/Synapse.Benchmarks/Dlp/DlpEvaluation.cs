using Synapse.Dlp;
using Synapse.Tests.Dlp.Corpus;

namespace Synapse.Benchmarks.Dlp;

/// <summary>
/// <c>dotnet run -c Release --project bench/Synapse.Benchmarks -- dlp-eval</c>: scores the default
/// policy against the evaluation corpus (the same files the corpus test uses) and prints the
/// per-category precision, recall and F2 and every disagreement. Exit code 1 when any category is
/// below 0.99.
/// </summary>
internal static class DlpEvaluation
{
    public static int Run()
    {
        var samples = DlpCorpus.Load();
        var disagreements = new List<string>();
        var scores = CorpusEvaluator.Evaluate(new DlpScanner(DlpPolicy.Default), samples, disagreements);
        Console.WriteLine(CorpusReport.Format(samples, scores, disagreements));
        return scores.Values.All(s => s.Precision >= 0.99 && s.Recall >= 0.99) ? 0 : 1;
    }
}
