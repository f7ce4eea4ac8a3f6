using Microsoft.Extensions.Time.Testing;
using Synapse.Gateway.OpenAi;
using Synapse.Hosting;
using Synapse.Requests;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// The front end's answer to a key grain that falls silent before its first word (its silo died
/// while holding the request): the request is sent once more, marked resent — or, with
/// <c>ResendLostCalls</c> off, answered as unavailable — and a second loss is final.
/// </summary>
public sealed class LostCallResendTests
{
    /// <summary>How long the front end waits for a key grain's first word (twice the silence: activation sends no heartbeat).</summary>
    private static readonly TimeSpan FirstWordSilence = new RequestHeartbeat(TimeSpan.FromSeconds(1)).Silence * 2;

    [Fact]
    public async Task ASilentFirstAttempt_IsSentOnceMore_MarkedResent()
    {
        var (calls, time) = Calls(resend: true);
        var attempts = new List<bool>();

        var opening = calls.OpenAsync(resent => Attempt(attempts, resent, answers: resent), _ => false, time.GetTimestamp(), CancellationToken.None);
        time.Advance(FirstWordSilence + TimeSpan.FromMilliseconds(1));
        var opened = await opening.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(opened.Answered);
        Assert.True(opened.Value.HasCurrent);
        Assert.Equal("answer", opened.Value.Enumerator.Current);
        Assert.Equal([false, true], attempts);
    }

    [Fact]
    public async Task WithResendingOff_ASilentAttempt_IsUnanswered_AndNotSentAgain()
    {
        var (calls, time) = Calls(resend: false);
        var attempts = new List<bool>();

        var opening = calls.OpenAsync(resent => Attempt(attempts, resent, answers: resent), _ => false, time.GetTimestamp(), CancellationToken.None);
        Assert.False(opening.IsCompleted);
        time.Advance(FirstWordSilence + TimeSpan.FromMilliseconds(1));
        var opened = await opening.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(opened.Answered);
        Assert.Equal([false], attempts);
    }

    [Fact]
    public async Task ASecondSilence_IsFinal()
    {
        var (calls, time) = Calls(resend: true);
        var attempts = new List<bool>();

        var opening = calls.OpenAsync(resent => Attempt(attempts, resent, answers: false), _ => false, time.GetTimestamp(), CancellationToken.None);
        time.Advance(FirstWordSilence + TimeSpan.FromMilliseconds(1));
        await Eventually.HoldsAsync(() => attempts.Count == 2);
        Assert.False(opening.IsCompleted);
        time.Advance(FirstWordSilence + TimeSpan.FromMilliseconds(1));
        var opened = await opening.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(opened.Answered);
        Assert.Equal([false, true], attempts);
    }

    private static (ClusterCalls Calls, FakeTimeProvider Time) Calls(bool resend)
    {
        var time = new FakeTimeProvider();
        var options = new SynapseOrleansOptions { HeartbeatSeconds = 1, ResendLostCalls = resend };
        return (new ClusterCalls(options, ClusterConnection.ForSilo(), time), time);
    }

    /// <summary>One attempt: answers at once, or never says a word (its silo is gone).</summary>
    private static async IAsyncEnumerable<string> Attempt(List<bool> attempts, bool resent, bool answers)
    {
        lock (attempts)
        {
            attempts.Add(resent);
        }

        if (!answers)
        {
            await Task.Delay(Timeout.Infinite);
        }

        yield return "answer";
    }
}
