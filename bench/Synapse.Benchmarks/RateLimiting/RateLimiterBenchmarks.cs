using BenchmarkDotNet.Attributes;
using Synapse.Grains.Interfaces.Keys;
using Synapse.RateLimiting;

namespace Synapse.Benchmarks.RateLimiting;

/// <summary>
/// The rate-limit admission the key grain does on every request: a sliding-window check of
/// requests, tokens and concurrency, then the completion that settles tokens. Budget: ≤ 20 µs.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks
{
    private KeyRateLimiter _limiter = null!;
    private string[] _ids = null!;
    private int _next;

    /// <summary>How many admitted requests are already in the one-minute window.</summary>
    [Params(10, 5_000)]
    public int InWindow { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _limiter = new KeyRateLimiter(new KeyLimits(int.MaxValue, int.MaxValue, 1_000), TimeProvider.System);
        _ids = [.. Enumerable.Range(0, 1 << 16).Select(i => "req_" + i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture))];
        for (var i = 0; i < InWindow; i++)
        {
            _limiter.TryAdmit("seed_" + i, 100);
            _limiter.Complete("seed_" + i, 120);
        }
    }

    [Benchmark]
    public bool AdmitAndComplete()
    {
        var id = _ids[_next++ & 0xFFFF];
        var admitted = _limiter.TryAdmit(id, 250).Admitted;
        _limiter.Complete(id, 300);
        return admitted;
    }
}
