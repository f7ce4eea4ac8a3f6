using Microsoft.Extensions.Time.Testing;
using Synapse.Gateway.Security;

namespace Synapse.Tests.Gateway;

/// <summary>The per-address failure windows of the admin and key throttles, on a clock the test moves.</summary>
public sealed class FixedWindowCountersTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AKey_GetsItsLimit_ThenWaitsForTheRestOfItsWindow_ThenStartsAgain()
    {
        var counters = new FixedWindowCounters(3, Window, _time);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(counters.TryTake("10.0.0.1", out _));
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(counters.TryTake("10.0.0.1", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        Assert.True(counters.IsExhausted("10.0.0.1", out var stillWaiting));
        Assert.Equal(TimeSpan.FromSeconds(40), stillWaiting);

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.False(counters.IsExhausted("10.0.0.1", out _));
        Assert.True(counters.TryTake("10.0.0.1", out _));
    }

    [Fact]
    public void ReadingAKey_TakesNoPermit_AndKeysAreCountedApart()
    {
        var counters = new FixedWindowCounters(1, Window, _time);

        Assert.False(counters.IsExhausted("10.0.0.1", out _));
        Assert.False(counters.IsExhausted("10.0.0.1", out _));
        Assert.True(counters.TryTake("10.0.0.1", out _));
        Assert.True(counters.IsExhausted("10.0.0.1", out _));
        Assert.False(counters.IsExhausted("10.0.0.2", out _));
        Assert.True(counters.TryTake("10.0.0.2", out _));
        Assert.False(counters.TryTake("10.0.0.1", out _));
    }

    [Fact]
    public void AWindow_StartsWithItsKeysFirstPermit_NotWithTheCounters()
    {
        var counters = new FixedWindowCounters(1, Window, _time);
        _time.Advance(TimeSpan.FromSeconds(50));

        Assert.True(counters.TryTake("10.0.0.1", out _));
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.False(counters.TryTake("10.0.0.1", out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(30), retryAfter);
    }

    [Fact]
    public void EndedWindows_AreDropped_SoTheTableHoldsOnlyKeysCountedWithinOneWindow()
    {
        var counters = new FixedWindowCounters(1, Window, _time);
        for (var i = 0; i < 5000; i++)
        {
            counters.TryTake($"old-{i}", out _);
        }

        // Nothing has ended yet: every key is still being counted.
        Assert.Equal(5000, counters.Count);

        _time.Advance(Window);
        for (var i = 0; i < 5000; i++)
        {
            counters.TryTake($"new-{i}", out _);
        }

        Assert.InRange(counters.Count, 5000, 5000 + 1024);
        Assert.False(counters.IsExhausted("old-1", out _));
        Assert.True(counters.IsExhausted("new-1", out _));
    }
}
