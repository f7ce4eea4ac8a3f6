using Synapse.Requests;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Requests;

/// <summary>
/// A request its front end sends again joins the attempt the key grain is still running, so the
/// provider never sees a live request twice; anything else starts its own attempt.
/// </summary>
public sealed class RunningSendsTests
{
    [Fact]
    public async Task AResentRequest_JoinsItsRunningAttempt()
    {
        var sends = new RunningSends<string>();
        var first = new TaskCompletionSource<string>();
        var started = 0;

        var (attempt, joined) = sends.Run("req_1", resent: false, () => { started++; return first.Task; });
        var (again, rejoined) = sends.Run("req_1", resent: true, () => { started++; return Task.FromResult("second"); });
        first.SetResult("first");

        Assert.False(joined);
        Assert.True(rejoined);
        Assert.Same(attempt, again);
        Assert.Equal("first", await again);
        Assert.Equal(1, started);
    }

    [Fact]
    public async Task AResentRequest_WhoseAttemptEnded_OrWasNeverHere_RunsAgain()
    {
        var sends = new RunningSends<string>();
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        sends.Run("req_1", resent: false, () => first.Task);
        Assert.Equal(1, sends.Count);
        first.SetResult("first");
        await first.Task;
        await Eventually.HoldsAsync(() => sends.Count == 0);

        var (ended, joinedEnded) = sends.Run("req_1", resent: true, () => Task.FromResult("again"));
        var (unknown, joinedUnknown) = sends.Run("req_2", resent: true, () => Task.FromResult("elsewhere"));

        Assert.False(joinedEnded);
        Assert.Equal("again", await ended);
        Assert.False(joinedUnknown);
        Assert.Equal("elsewhere", await unknown);
    }

    [Fact]
    public void ARequestNotResent_NeverJoins_EvenUnderARunningId()
    {
        var sends = new RunningSends<string>();
        sends.Run("req_1", resent: false, () => new TaskCompletionSource<string>().Task);

        var (_, joined) = sends.Run("req_1", resent: false, () => Task.FromResult("own"));

        Assert.False(joined);
    }
}
