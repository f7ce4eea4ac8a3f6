using System.Diagnostics;
using Synapse.Hosting;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The front end's calls into the cluster, for the moments when a silo has just died. A call the
/// runtime refused without running it (its key's silo is unreachable and not yet declared dead,
/// its gateway went away) is sent again, with a short backoff, until
/// <see cref="SynapseOrleansOptions.UnavailableRetrySeconds"/> after the request arrived: the
/// survivors take the key over within the membership probe time, so the client gets its answer a
/// few seconds late instead of an error. A call that may have run is never sent again (its request
/// may have reached a provider); it and a cluster that stays unreachable get 503
/// <c>service_unavailable</c> with <c>Retry-After</c>. A key grain that holds a request sends a
/// heartbeat every <see cref="SynapseOrleansOptions.HeartbeatSeconds"/>; after
/// <see cref="RequestHeartbeat.Silence"/> without one, its silo is taken for dead.
/// </summary>
public sealed class ClusterCalls(SynapseOrleansOptions options, ClusterConnection connection, TimeProvider time)
{
    private readonly RequestHeartbeat _heartbeat = new(TimeSpan.FromSeconds(options.HeartbeatSeconds));
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);

    public OpenAiError Unavailable { get; } = new(
        StatusCodes.Status503ServiceUnavailable,
        "The gateway cannot reach its cluster right now; retry shortly.",
        OpenAiError.ApiErrorType,
        "service_unavailable");

    public int RetryAfterSeconds => options.RetryAfterSeconds;

    /// <summary>
    /// A call that may safely run twice (a read; an audit append, which its event id makes
    /// idempotent): sent again after any cluster failure within the window. An attempt that hears
    /// nothing for <see cref="RequestHeartbeat.Silence"/> counts as failed (its gateway may have died).
    /// </summary>
    public async Task<ClusterAnswer<T>> IdempotentAsync<T>(Func<Task<T>> call, long requestStartedAt, CancellationToken cancellationToken)
    {
        for (var backoff = FirstBackoff; ; backoff = Next(backoff))
        {
            if (connection.IsConnected)
            {
                try
                {
                    return new(true, await call().WaitAsync(_heartbeat.Silence, time, cancellationToken));
                }
                catch (Exception e) when (ClusterFailures.IsUnavailable(e))
                {
                    // Below: wait and try again while the window lasts.
                }
            }

            if (!await PauseAsync(backoff, requestStartedAt))
            {
                return default;
            }
        }
    }

    /// <summary>
    /// Opens a key grain's answer sequence and waits for its first element (heartbeats skipped).
    /// A sequence the runtime refused undelivered is opened again while the window lasts. One the
    /// key grain may have had is lost when nothing (not even a heartbeat) comes back for the
    /// silence bound: its silo, or the silo between them, died. Unless
    /// <see cref="SynapseOrleansOptions.ResendLostCalls"/> is off, it is sent once more, marked
    /// <c>resent</c> — nothing has reached the client yet, and a key grain still running the first
    /// attempt joins it instead of calling the provider again — with a fresh window for its own
    /// refusals. <paramref name="firstElementWait"/> stops the waiting, not the call.
    /// </summary>
    /// <param name="open">Opens the sequence; its argument says whether this is the resent attempt.</param>
    /// <returns>The enumerator positioned on its first element (or at its end), or no answer.</returns>
    public async Task<ClusterAnswer<(IAsyncEnumerator<T> Enumerator, bool HasCurrent)>> OpenAsync<T>(
        Func<bool, IAsyncEnumerable<T>> open, Func<T, bool> isKeepAlive, long requestStartedAt, CancellationToken firstElementWait)
    {
        ArgumentNullException.ThrowIfNull(open);
        var resent = false;
        var windowStart = requestStartedAt;
        for (var backoff = FirstBackoff; ; backoff = Next(backoff))
        {
            if (connection.IsConnected)
            {
                var enumerator = open(resent).GetAsyncEnumerator(CancellationToken.None);
                var heard = false;
                try
                {
                    return new(true, (enumerator, await NextAsync(enumerator, e =>
                    {
                        heard = true;
                        return isKeepAlive(e);
                    }, firstElementWait)));
                }
                catch (Exception e) when (!heard && ClusterFailures.NeverDelivered(e))
                {
                    // Refused before the key grain saw it (not even a heartbeat came back): safe to
                    // send again below.
                    DisposeInBackground(enumerator);
                }
                catch (Exception e) when (ClusterFailures.IsUnavailable(e) && !resent && options.ResendLostCalls && !firstElementWait.IsCancellationRequested)
                {
                    DisposeInBackground(enumerator);
                    resent = true;
                    windowStart = time.GetTimestamp();
                    continue;
                }
                catch (Exception e) when (ClusterFailures.IsUnavailable(e))
                {
                    DisposeInBackground(enumerator);
                    return default;
                }
            }

            if (!await PauseAsync(backoff, windowStart))
            {
                return default;
            }
        }
    }

    /// <summary>
    /// The sequence's next element that is not a heartbeat; false at its end. Throws
    /// <see cref="TimeoutException"/> when the key grain fell silent: its silo is gone. The first
    /// word gets no longer than the others, though it may also wait for the key grain's activation:
    /// an activation slow enough to be taken for a lost call is sent once more and joins its
    /// running attempt (<see cref="OpenAsync"/>), which costs time, not the answer.
    /// </summary>
    public async Task<bool> NextAsync<T>(IAsyncEnumerator<T> enumerator, Func<T, bool> isKeepAlive, CancellationToken wait)
    {
        ArgumentNullException.ThrowIfNull(enumerator);
        ArgumentNullException.ThrowIfNull(isKeepAlive);
        while (true)
        {
            if (!await enumerator.MoveNextAsync().AsTask().WaitAsync(_heartbeat.Silence, time, wait))
            {
                return false;
            }

            if (!isKeepAlive(enumerator.Current))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Ends a key grain's sequence without holding up the response: telling the grain costs a
    /// round trip, and after a failure it may be a round trip to a silo that is gone.
    /// </summary>
    public static void DisposeInBackground<T>(IAsyncEnumerator<T> enumerator) => _ = Task.Run(async () =>
    {
        // The request's trace activity flowed in and has usually stopped by now: Orleans' proxy
        // restores it after its call, and restoring a stopped activity throws and catches an
        // exception inside System.Diagnostics — once per request. The disposal stays in the
        // request's trace all the same: the proxy parents it to the sequence's own activity.
        Activity.Current = null;
        try
        {
            await enumerator.DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the grain's silo may be gone, or a read may still be pending on it;
            // Orleans drops an abandoned sequence by itself.
        }
    });

    /// <summary>
    /// Waits <paramref name="backoff"/> when the window allows one more try after it. A client that
    /// went away does not cut the wait short: the request must still end in the log, as answered
    /// by the cluster or as refused for want of one.
    /// </summary>
    private async Task<bool> PauseAsync(TimeSpan backoff, long windowStart)
    {
        if (time.GetElapsedTime(windowStart) + backoff > TimeSpan.FromSeconds(options.UnavailableRetrySeconds))
        {
            return false;
        }

        await Task.Delay(backoff, time);
        return true;
    }

    private static TimeSpan Next(TimeSpan backoff) => backoff * 2 > LongestBackoff ? LongestBackoff : backoff * 2;
}
