using BenchmarkDotNet.Attributes;
using Synapse.Dlp;

namespace Synapse.Benchmarks.Dlp;

/// <summary>The per-request cost: an 8 KB prompt scanned whole, and the same text streamed in 4-character deltas.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DlpPromptBenchmarks
{
    private DlpScanner _scanner = null!;
    private string _prompt = null!;
    private string[] _deltas = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(10) });
        _prompt = DlpBenchmarkText.Prompt8K();
        _deltas = Enumerable.Range(0, _prompt.Length / 4).Select(i => _prompt.Substring(i * 4, 4)).ToArray();
    }

    [Benchmark]
    public DlpScanResult Prompt8K() => _scanner.Scan(_prompt);

    [Benchmark]
    public int Stream8KIn4CharDeltas()
    {
        var redactor = _scanner.CreateStreamingRedactor();
        var emitted = 0;
        foreach (var delta in _deltas)
        {
            emitted += redactor.Append(delta).Length;
        }

        return emitted + redactor.Complete().Length;
    }
}
