using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting.Memory;

/// <summary>
/// Gives memory back to the system when the process has gone quiet. The GC keeps what a burst of
/// traffic (or the start-up: the host's composition, the token encoding's load) made it commit, in
/// case it is needed again; on a small box running one gateway that is memory nothing else gets.
/// An aggressive collection decommits it (docs/benchmarks.md: −12 MB after start-up, −30 MB after a
/// burst), and the C library's heap gives back what native code freed (<see cref="NativeHeap"/>).
/// It blocks the process for a collection of the live heap (10–15 ms), so it runs once per quiet
/// spell: when no collection has happened for <see cref="MemoryTrimOptions.TrimAfterQuiet"/>
/// after one did — an idle gateway's few hundred kilobytes of timers and statistics take minutes to
/// fill the allocation budget, any real traffic does it within seconds.
/// </summary>
internal sealed partial class IdleMemoryTrim(MemoryTrimOptions options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    /// <summary>Long enough after start for the token encoding's load and the first requests' set-up to be garbage.</summary>
    private static readonly TimeSpan AfterStart = TimeSpan.FromSeconds(5);

    /// <summary>How often the collection count is looked at: a trim comes at most this late.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>The process's gen-0 collections so far (replaced in tests, whose process collects all the time).</summary>
    internal Func<int> Collections { get; init; } = () => GC.CollectionCount(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.TrimAfterQuiet <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await TrimWhenQuietAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped, as when the host's start failed after this began: not a failure of its own.
        }
    }

    private async Task TrimWhenQuietAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(AfterStart, time, stoppingToken).ConfigureAwait(false);
        var seen = Trim();
        var trimmed = true;
        var quietSince = time.GetUtcNow();
        using var timer = new PeriodicTimer(Poll < options.TrimAfterQuiet ? Poll : options.TrimAfterQuiet, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = Collections();
            if (now != seen)
            {
                (seen, trimmed, quietSince) = (now, false, time.GetUtcNow());
            }
            else if (!trimmed && time.GetUtcNow() - quietSince >= options.TrimAfterQuiet)
            {
                (seen, trimmed) = (Trim(), true);
            }
        }
    }

    /// <summary>Collects and decommits; returns the collection count after it.</summary>
    private int Trim()
    {
        var before = Environment.WorkingSet;
        var started = time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        Log.Trimmed(logger, time.GetElapsedTime(started).TotalMilliseconds, (before - Environment.WorkingSet) / (1024 * 1024));
        return Collections();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Returned memory to the system after a quiet spell: {Milliseconds:F1} ms, working set {FreedMegabytes} MB smaller")]
        public static partial void Trimmed(ILogger logger, double milliseconds, long freedMegabytes);
    }
}
