using System.Collections.Concurrent;

namespace Synapse.LoadHarness.Load;

/// <summary>
/// What one path's measured requests did. Latencies are raw <see cref="System.Diagnostics.Stopwatch"/>
/// ticks in preallocated arrays, sorted once at the end: exact percentiles, no histogram buckets.
/// </summary>
internal sealed class PathRecorder(int capacity)
{
    private readonly long[] _latency = new long[capacity];
    private readonly long[] _total = new long[capacity];
    private readonly long[] _startLag = new long[capacity];
    private int _count;
    private int _sent;

    public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    public int Sent => Volatile.Read(ref _sent);

    public int Succeeded => Math.Min(Volatile.Read(ref _count), capacity);

    public int ErrorCount => Errors.Values.Sum();

    public void CountSent() => Interlocked.Increment(ref _sent);

    /// <param name="latency">From the scheduled send time to the measured event (whole answer, or first byte when streaming).</param>
    /// <param name="total">From the scheduled send time to the answer's last byte.</param>
    /// <param name="startLag">From the scheduled send time to the moment the harness started sending.</param>
    public void Record(long latency, long total, long startLag)
    {
        var i = Interlocked.Increment(ref _count) - 1;
        if (i < capacity)
        {
            _latency[i] = latency;
            _total[i] = total;
            _startLag[i] = startLag;
        }
    }

    public void Fail(string reason) => Errors.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public ReadOnlySpan<long> Latencies => _latency.AsSpan(0, Succeeded);

    public ReadOnlySpan<long> Totals => _total.AsSpan(0, Succeeded);

    public ReadOnlySpan<long> StartLags => _startLag.AsSpan(0, Succeeded);
}
