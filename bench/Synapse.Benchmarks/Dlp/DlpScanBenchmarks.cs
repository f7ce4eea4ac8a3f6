using BenchmarkDotNet.Attributes;
using Synapse.Dlp;

namespace Synapse.Benchmarks.Dlp;

/// <summary>Throughput of one-shot scans with the default policy (MB/s = Size / Mean).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DlpScanBenchmarks
{
    private DlpScanner _scanner = null!;
    private string _text = null!;

    [Params(1024, 16 * 1024, 256 * 1024)]
    public int Size { get; set; }

    [Params(false, true)]
    public bool DensePii { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(10) });
        _text = DlpBenchmarkText.English(Size, DensePii);
    }

    [Benchmark]
    public DlpScanResult Scan() => _scanner.Scan(_text);
}
