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
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<IdleMemoryTrim> _logger = new();
    private int _collections;

    [Fact]
    public async Task TrimsAfterStart_ThenOnceThingsHaveBeenQuietForTheSetTime_AfterTraffic()
    {
        using var trim = await StartAsync(TimeSpan.FromSeconds(30));

        await AdvanceAsync(seconds: 4);
        Assert.Equal(0, _logger.Collector.Count);
        await AdvanceAsync(seconds: 1);
        await Eventually.HoldsAsync(() => _logger.Collector.Count == 1);
        Assert.StartsWith("Returned memory to the system", _logger.Collector.LatestRecord.Message, StringComparison.Ordinal);

        await AdvanceAsync(seconds: 60, step: 5); // quiet, but trimmed already
        Interlocked.Increment(ref _collections);
        await AdvanceAsync(seconds: 5); // traffic, seen
        await AdvanceAsync(seconds: 25); // quiet for 25 s
        Assert.Equal(1, _logger.Collector.Count);

        await AdvanceAsync(seconds: 5); // …for 30 s
        await Eventually.HoldsAsync(() => _logger.Collector.Count == 2);
        await AdvanceAsync(seconds: 120, step: 5);
        Assert.Equal(2, _logger.Collector.Count);

        await trim.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Zero_NeverTrims()
    {
        using var trim = await StartAsync(TimeSpan.Zero);

        await AdvanceAsync(seconds: 300, step: 30);

        Assert.True(trim.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Equal(0, _logger.Collector.Count);
        await trim.StopAsync(CancellationToken.None);
    }

    private async Task<IdleMemoryTrim> StartAsync(TimeSpan trimAfterQuiet)
    {
        var trim = new IdleMemoryTrim(new MemoryTrimOptions { TrimAfterQuiet = trimAfterQuiet }, _time, _logger) { Collections = () => Volatile.Read(ref _collections) };
        await trim.StartAsync(CancellationToken.None);
        await Task.Delay(200); // ExecuteAsync runs on the thread pool: let it reach its first wait
        return trim;
    }

    // A step at a time, each after a moment for the service's loop (on the thread pool) to reach
    // its next wait.
    private async Task AdvanceAsync(int seconds, int step = 1)
    {
        for (var i = 0; i < seconds; i += step)
        {
            await Task.Delay(20);
            _time.Advance(TimeSpan.FromSeconds(step));
        }

        await Task.Delay(20);
    }
}
