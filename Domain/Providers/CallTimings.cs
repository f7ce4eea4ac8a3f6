namespace Synapse.Providers;

/// <summary>
/// Where one admitted request's time went, in <see cref="TimeProvider"/> timestamps: from the key
/// grain taking it to its answer being complete, and the part of that spent waiting on the
/// providers (failover included). What is left is the time the gateway added (admission, DLP, the
/// durable <c>request</c> event, answer filtering); docs/audit.md, "Gateway-added time".
/// </summary>
public sealed class CallTimings(TimeProvider timeProvider, long takenAt)
{
    private long? _upstreamStarted;
    private long? _upstreamEnded;
    private long? _answered;

    /// <summary>When the key grain took the request.</summary>
    public long TakenAt { get; } = takenAt;

    /// <summary>The providers were called (the first attempt).</summary>
    public void UpstreamStarted() => _upstreamStarted = timeProvider.GetTimestamp();

    /// <summary>The providers' answer (or the last piece of a stream, or their failure) arrived; later calls move the end.</summary>
    public void UpstreamEnded() => _upstreamEnded = timeProvider.GetTimestamp();

    /// <summary>
    /// The answer is complete: filtered and handed on whole (a stream's last event written, or the
    /// stream stopped). A provider call still open then (the client went away) ends here too.
    /// </summary>
    public void Answered()
    {
        _answered ??= timeProvider.GetTimestamp();
        if (_upstreamStarted is not null)
        {
            _upstreamEnded ??= _answered;
        }
    }

    /// <summary>The providers' time: from the first call to the end of their answer, retries and failover included.</summary>
    public TimeSpan? Upstream => _upstreamStarted is { } started && _upstreamEnded is { } ended && ended >= started
        ? timeProvider.GetElapsedTime(started, ended)
        : null;

    /// <summary>From taking the request to a complete answer, minus <see cref="Upstream"/>; never negative.</summary>
    public TimeSpan? GatewayAdded
    {
        get
        {
            if (Upstream is not { } upstream || _answered is not { } answered)
            {
                return null;
            }

            var added = timeProvider.GetElapsedTime(TakenAt, answered) - upstream;
            return added < TimeSpan.Zero ? TimeSpan.Zero : added;
        }
    }
}
