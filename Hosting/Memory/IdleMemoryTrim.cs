using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Synapse.Hosting.Memory;

/// <summary>
/// Gives memory back to the system when the process has gone quiet. The GC keeps what a burst of
/// traffic (or the start-up: the host's composition, the token encoding's load) made it commit, in
/// case it is needed again; on a small box running one gateway that is memory nothing else gets.
/// An aggressive collection decommits it (docs/benchmarks.md: idle RSS −13 to −14 MB after
/// start-up, −24 MB after a burst). It blocks the process for a collection of the live heap, so it
/// runs only once per quiet spell: after an interval with no collection at all, which an idle
/// gateway's few hundred kilobytes of timers and statistics never trigger and any real traffic does.
/// </summary>
internal sealed partial class IdleMemoryTrim(MemoryTrimOptions options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    /// <summary>Long enough after start for the token encoding's load and the first requests' set-up to be garbage.</summary>
    private static readonly TimeSpan AfterStart = TimeSpan.FromSeconds(5);

    /// <summary>The process's gen-0 collections so far (replaced in tests, whose process collects all the time).</summary>
    internal Func<int> Collections { get; init; } = () => GC.CollectionCount(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.IdleTrimInterval <= TimeSpan.Zero)
        {
            return;
        }

        await Task.Delay(AfterStart, time, stoppingToken).ConfigureAwait(false);
        var collections = Trim();
        var trimmed = true;
        using var timer = new PeriodicTimer(options.IdleTrimInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = Collections();
            if (now != collections)
            {
                (collections, trimmed) = (now, false);
            }
            else if (!trimmed)
            {
                (collections, trimmed) = (Trim(), true);
            }
        }
    }

    /// <summary>Collects and decommits; returns the collection count after it.</summary>
    private int Trim()
    {
        var before = Environment.WorkingSet;
        var started = time.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Log.Trimmed(logger, time.GetElapsedTime(started).TotalMilliseconds, (before - Environment.WorkingSet) / (1024 * 1024));
        return Collections();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Returned memory to the system after a quiet spell: {Milliseconds:F1} ms, working set {FreedMegabytes} MB smaller")]
        public static partial void Trimmed(ILogger logger, double milliseconds, long freedMegabytes);
    }
}
