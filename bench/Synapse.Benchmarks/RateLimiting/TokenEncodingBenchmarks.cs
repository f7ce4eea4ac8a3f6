using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using Synapse.RateLimiting;

namespace Synapse.Benchmarks.RateLimiting;

/// <summary>
/// The o200k encoding the token estimate uses: loading it (once per process, on the first request's
/// path or beside start-up) and counting a 1,000-character prompt, for the hand-written counter and
/// for Microsoft.ML.Tokenizers' Tiktoken, which it replaced. The allocated column of the load is
/// what each keeps for the life of the process.
/// </summary>
[MemoryDiagnoser]
public class TokenEncodingBenchmarks
{
    private const string Prompt = "Summarise the quarterly report for the board. The report covers revenue, costs, the hiring plan and the risks we see for the next two years; keep it under 200 words and name each figure you quote. ";

    private readonly string _prompt = string.Concat(Enumerable.Repeat(Prompt, 5));
    private O200kTokenCounter _counter = null!;
    private Tokenizer _tiktoken = null!;

    [GlobalSetup]
    public void Setup()
    {
        _counter = O200kTokenCounter.Load();
        _tiktoken = TiktokenTokenizer.CreateForModel("gpt-4o");
    }

    /// <summary>
    /// The library's load from the same data file (<c>CreateForModel</c> caches its tokenizer per
    /// process, so calling it again would measure the cache).
    /// </summary>
    [Benchmark(Baseline = true)]
    public object LoadTiktoken()
    {
        using var data = O200kTokenCounter.OpenData();
        return TiktokenTokenizer.Create(data, preTokenizer: null, normalizer: null);
    }

    [Benchmark]
    public object LoadCounter() => O200kTokenCounter.Load();

    [Benchmark]
    public int CountTiktoken() => _tiktoken.CountTokens(_prompt);

    [Benchmark]
    public int CountCounter() => _counter.Count(_prompt);
}
