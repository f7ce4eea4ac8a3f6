namespace Synapse.Requests;

/// <summary>
/// How often a key grain tells the front end that a request it holds is still being worked on.
/// A request's call lasts as long as the model takes, so the front end cannot bound it by time;
/// it bounds the silence instead, and after <see cref="Silence"/> without a word it knows the
/// silo is gone (a SIGKILL tells nobody) and answers 503 instead of waiting.
/// </summary>
public sealed class RequestHeartbeat(TimeSpan interval)
{
    /// <summary>
    /// Heartbeats a front end may miss before it gives a request up: enough that a starved
    /// machine delaying a few of them does not break a live stream.
    /// </summary>
    public const int MissedBeforeSilence = 5;

    public TimeSpan Interval { get; } = interval;

    /// <summary>How long a front end waits without a heartbeat or an answer.</summary>
    public TimeSpan Silence => Interval * MissedBeforeSilence;

    /// <summary>True when <paramref name="work"/> finished within one interval; false when a heartbeat is due first.</summary>
    public async Task<bool> FinishesWithinIntervalAsync(Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.IsCompleted)
        {
            return true;
        }

        using var heartbeatDue = new CancellationTokenSource();
        var first = await Task.WhenAny(work, Task.Delay(Interval, heartbeatDue.Token));
        await heartbeatDue.CancelAsync();
        return first == work;
    }
}
