namespace Synapse.Requests;

/// <summary>
/// The requests this process holds: counted from the moment a key grain takes a request until
/// its answer has been handed back and its completion event written. A silo that is told to stop
/// waits for this to reach zero (up to its grace period) before it lets Orleans deactivate the
/// grains, so the calls it holds end with their clients answered and their completions audited.
/// </summary>
public sealed class RequestsInFlight
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _idle;

    /// <summary>How many requests are held right now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts one request until the returned lease is disposed.</summary>
    public Lease Begin()
    {
        Interlocked.Increment(ref _count);
        return new Lease(this);
    }

    /// <summary>Completes the first time no request is held (at once when none is).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Volatile.Read(ref _count) == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void End()
    {
        if (Interlocked.Decrement(ref _count) != 0)
        {
            return;
        }

        lock (_lock)
        {
            if (Volatile.Read(ref _count) == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    /// <summary>One held request; disposing it (once) ends the hold.</summary>
    public sealed class Lease : IDisposable
    {
        private RequestsInFlight? _owner;

        internal Lease(RequestsInFlight owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.End();
    }
}
