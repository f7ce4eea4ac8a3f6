using BenchmarkDotNet.Attributes;
using Synapse.Dlp;
using Synapse.Tests.Dlp;

namespace Synapse.Benchmarks.Dlp;

/// <summary>1 MiB of adversarial input per kind; the budget is under 100 ms each.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DlpHostileBenchmarks
{
    private DlpScanner _scanner = null!;
    private string _text = null!;

    public static IEnumerable<string> Kinds => HostileInput.Kinds;

    [ParamsSource(nameof(Kinds))]
    public string Kind { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(10) });
        _text = HostileInput.Create(Kind, 1024 * 1024);
    }

    [Benchmark]
    public DlpScanResult Scan1MiB() => _scanner.Scan(_text);
}
