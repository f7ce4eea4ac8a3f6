using System.Collections.Concurrent;

namespace Synapse.Requests;

/// <summary>
/// The non-streamed requests a key grain is running, by request id. A request the front end
/// sends again (<c>Resent</c>: it heard nothing for too long and took the first attempt for lost)
/// joins the attempt still running here, so a slow activation or a lost answer path never makes a
/// provider see the request twice while its first attempt is alive. Entries leave as their
/// attempt ends; nothing of a finished request is kept.
/// </summary>
public sealed class RunningSends<T>
{
    private readonly ConcurrentDictionary<string, Task<T>> _running = new(StringComparer.Ordinal);

    /// <summary>How many requests are running.</summary>
    public int Count => _running.Count;

    /// <summary>
    /// The attempt of <paramref name="requestId"/> already running when <paramref name="resent"/>,
    /// otherwise a new one from <paramref name="start"/>.
    /// </summary>
    /// <returns>The attempt, and whether it was joined rather than started.</returns>
    public (Task<T> Attempt, bool Joined) Run(string requestId, bool resent, Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (resent && _running.TryGetValue(requestId, out var running))
        {
            return (running, true);
        }

        var attempt = start();
        if (!attempt.IsCompleted)
        {
            _running[requestId] = attempt;
            _ = attempt.ContinueWith(
                done => _running.TryRemove(KeyValuePair.Create(requestId, done)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return (attempt, false);
    }
}
