using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Synapse.Hosting.Memory;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The idle trim on a fake clock and a counted stand-in for the process's collections (the test
/// process collects all the time); each trim is seen through its log line.
/// </summary>
public sealed class IdleMemoryTrimTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<IdleMemoryTrim> _logger = new();
    private int _collections;

    [Fact]
    public async Task TrimsAfterStart_ThenOnlyOnceAQuietIntervalFollowsOneWithCollections()
    {
        using var trim = await StartAsync(Interval);

        await AdvanceAsync(TimeSpan.FromSeconds(4));
        Assert.Equal(0, _logger.Collector.Count);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => _logger.Collector.Count == 1);
        Assert.StartsWith("Returned memory to the system", _logger.Collector.LatestRecord.Message, StringComparison.Ordinal);

        await AdvanceAsync(Interval); // quiet, but trimmed already
        Interlocked.Increment(ref _collections);
        await AdvanceAsync(Interval); // traffic
        Assert.Equal(1, _logger.Collector.Count);

        await AdvanceAsync(Interval); // quiet after traffic
        await Eventually.HoldsAsync(() => _logger.Collector.Count == 2);
        await AdvanceAsync(Interval);
        await AdvanceAsync(Interval);
        Assert.Equal(2, _logger.Collector.Count);

        await trim.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AZeroInterval_NeverTrims()
    {
        using var trim = await StartAsync(TimeSpan.Zero);

        await AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.True(trim.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, _logger.Collector.Count);
        await trim.StopAsync(CancellationToken.None);
    }

    private async Task<IdleMemoryTrim> StartAsync(TimeSpan interval)
    {
        var trim = new IdleMemoryTrim(new MemoryTrimOptions { IdleTrimInterval = interval }, _time, _logger) { Collections = () => Volatile.Read(ref _collections) };
        await trim.StartAsync(CancellationToken.None);
        return trim;
    }

    // The service's loop runs on the thread pool: give it a moment to reach its next wait.
    private async Task AdvanceAsync(TimeSpan by)
    {
        await Task.Delay(100);
        _time.Advance(by);
        await Task.Delay(100);
    }
}
