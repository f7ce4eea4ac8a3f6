using Microsoft.Extensions.Time.Testing;
using Synapse.Grains.Interfaces.Keys;
using Synapse.RateLimiting;

namespace Synapse.Tests.RateLimiting;

public sealed class KeyRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-25T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void RequestsPerMinute_AdmitsExactlyNPerSlidingMinute()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(5, 1_000_000, 100), _clock);

        var admitted = Enumerable.Range(0, 20).Count(i => Admit(limiter, $"r{i}", 1));
        _clock.Advance(TimeSpan.FromSeconds(59));
        var stillFull = limiter.TryAdmit("late", 1);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterWindow = limiter.TryAdmit("later", 1);

        Assert.Equal(5, admitted);
        Assert.False(stillFull.Admitted);
        Assert.Equal(KeyRateLimiter.RequestsLimit, stillFull.RefusedBy);
        Assert.Equal(TimeSpan.FromSeconds(1), stillFull.RetryAfter);
        Assert.True(afterWindow.Admitted);
    }

    [Fact]
    public void RefusedRequests_TakeARequestOfTheWindow_WithNoTokensAndNoConcurrencySlot()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(3, 1000, 1), _clock);

        var afterFirst = limiter.CountUnforwarded();
        var afterSecond = limiter.CountUnforwarded();
        var admitted = limiter.TryAdmit("a", 10);
        limiter.Complete("a", 10);
        var fourth = limiter.TryAdmit("b", 10);

        Assert.Equal((2, 1000), (afterFirst.RequestsRemaining, afterFirst.TokensRemaining));
        Assert.Equal(1, afterSecond.RequestsRemaining);
        Assert.True(admitted.Admitted);
        Assert.Equal(KeyRateLimiter.RequestsLimit, fourth.RefusedBy);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, limiter.Snapshot().RequestsRemaining);
    }

    [Fact]
    public void Preparing_HoldsAConcurrencySlot_AndAWindowRequest_UntilItEnds()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(3, 1000, 2), _clock);

        var first = limiter.TryBeginPreparing();
        var second = limiter.TryBeginPreparing();
        var third = limiter.TryBeginPreparing();
        limiter.EndPreparing();
        limiter.CountUnforwarded();
        var afterOneEnded = limiter.TryBeginPreparing();
        limiter.EndPreparing();
        limiter.EndPreparing();
        Assert.True(Admit(limiter, "a", 1));
        limiter.CountUnforwarded();
        var windowFull = limiter.TryBeginPreparing();

        Assert.True(first.Admitted && second.Admitted);
        Assert.Equal(KeyRateLimiter.ConcurrencyLimit, third.RefusedBy);
        Assert.True(afterOneEnded.Admitted);
        Assert.Equal(KeyRateLimiter.RequestsLimit, windowFull.RefusedBy);
        Assert.Equal(TimeSpan.FromMinutes(1), windowFull.RetryAfter);
    }

    [Fact]
    public void Preparing_CountsAgainstTheRequestsLeft_BeforeAnyIsAdmitted()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(2, 1000, 100), _clock);

        var decisions = Enumerable.Range(0, 5).Select(_ => limiter.TryBeginPreparing()).ToList();

        Assert.Equal(2, decisions.Count(d => d.Admitted));
        Assert.All(decisions.Skip(2), d => Assert.Equal((KeyRateLimiter.RequestsLimit, TimeSpan.FromSeconds(1)), (d.RefusedBy, d.RetryAfter)));
    }

    [Fact]
    public void MaxConcurrentRequests_FreesASlotOnCompletion()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(100, 1_000_000, 2), _clock);

        Assert.True(Admit(limiter, "a", 1));
        Assert.True(Admit(limiter, "b", 1));
        var third = limiter.TryAdmit("c", 1);
        limiter.Complete("a", 0);

        Assert.Equal(KeyRateLimiter.ConcurrencyLimit, third.RefusedBy);
        Assert.True(Admit(limiter, "d", 1));
    }

    [Fact]
    public void TokensPerMinute_SettlesEstimatesAgainstReportedUsage()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(100, 1000, 100), _clock);

        Assert.True(Admit(limiter, "a", 400));
        limiter.Complete("a", 900);
        var refused = limiter.TryAdmit("b", 200);
        Assert.True(Admit(limiter, "c", 100));

        Assert.Equal(KeyRateLimiter.TokensLimit, refused.RefusedBy);
        Assert.Equal(0, limiter.Snapshot().TokensRemaining);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1000, limiter.Snapshot().TokensRemaining);
    }

    [Fact]
    public void SettlingAfterTheWindow_DoesNotChargeTheNextWindow()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(100, 1000, 100), _clock);
        Assert.True(Admit(limiter, "a", 100));

        _clock.Advance(TimeSpan.FromMinutes(2));
        limiter.Complete("a", 900);

        Assert.Equal(1000, limiter.Snapshot().TokensRemaining);
    }

    [Fact]
    public void ARequestLargerThanTheWholeBudget_IsRefused()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(100, 1000, 100), _clock);

        Assert.False(limiter.TryAdmit("huge", 1001).Admitted);
    }

    [Fact]
    public void AbandonedRequests_StopHoldingConcurrencySlots()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(100, 1_000_000, 1), _clock);
        Assert.True(Admit(limiter, "lost", 1));

        _clock.Advance(KeyRateLimiter.AbandonedAfter);

        Assert.True(Admit(limiter, "next", 1));
    }

    [Fact]
    public void Snapshot_ReportsRemainingAndReset()
    {
        var limiter = new KeyRateLimiter(new KeyLimits(10, 1000, 5), _clock);
        Admit(limiter, "a", 100);
        _clock.Advance(TimeSpan.FromSeconds(15));

        var snapshot = limiter.Snapshot();

        Assert.Equal(9, snapshot.RequestsRemaining);
        Assert.Equal(900, snapshot.TokensRemaining);
        Assert.Equal(TimeSpan.FromSeconds(45), snapshot.RequestsReset);
    }

    [Fact]
    public void ThousandsOfRequestsSettledOutOfOrder_CountExactlyWhatANaiveWindowCounts()
    {
        // Long enough for the window's storage to wrap around, grow in a burst and shrink after it.
        var limiter = new KeyRateLimiter(new KeyLimits(1_000_000, int.MaxValue, 1_000_000), _clock);
        var random = new Random(7);
        var window = new List<(DateTimeOffset At, string Id, int Tokens)>();
        var open = new List<string>();
        var checkedStates = 0;
        for (var step = 0; step < 20_000; step++)
        {
            var burst = step is > 5_000 and < 9_000;
            _clock.Advance(TimeSpan.FromMilliseconds(burst ? 1 : random.Next(0, 40)));
            window.RemoveAll(a => _clock.GetUtcNow() - a.At >= TimeSpan.FromMinutes(1));
            if (open.Count > 0 && random.Next(3) == 0)
            {
                var id = open[random.Next(open.Count)];
                open.Remove(id);
                var actual = random.Next(0, 500);
                limiter.Complete(id, actual);
                var index = window.FindIndex(a => a.Id == id);
                if (index >= 0 && actual > 0)
                {
                    window[index] = window[index] with { Tokens = actual };
                }
            }
            else
            {
                var id = $"r{step}";
                var estimate = random.Next(1, 500);
                Assert.True(limiter.TryAdmit(id, estimate).Admitted);
                window.Add((_clock.GetUtcNow(), id, estimate));
                open.Add(id);
            }

            if (step % 97 == 0)
            {
                var snapshot = limiter.Snapshot();
                Assert.Equal(1_000_000 - window.Count, snapshot.RequestsRemaining);
                Assert.Equal(int.MaxValue - window.Sum(a => (long)a.Tokens), snapshot.TokensRemaining);
                checkedStates++;
            }
        }

        Assert.True(checkedStates > 200);
        Assert.Contains(window, a => a.Tokens > 0);
    }

    private static bool Admit(KeyRateLimiter limiter, string id, int tokens) => limiter.TryAdmit(id, tokens).Admitted;
}
