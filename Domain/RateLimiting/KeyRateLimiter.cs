using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.RateLimiting;

/// <summary>
/// A key's requests-per-minute, tokens-per-minute and concurrency limits over a sliding
/// 60-second window. It is exact because Orleans runs one activation of a key at a time in the
/// whole cluster and that activation calls this class from one turn at a time.
/// Tokens are admitted on an estimate of the prompt and settled against the provider's reported
/// usage (prompt + completion) when the request completes.
/// </summary>
/// <remarks>
/// Every request the key makes counts, not only those it forwards: one refused for its body, its
/// model or by DLP, or a token count, takes a request of the window too
/// (<see cref="CountUnforwarded"/>), and a request is checked before it is parsed and scanned as
/// well as after (<see cref="TryBeginPreparing"/>), so a key past its limits gets neither a DLP
/// verdict nor the CPU of a scan.
/// </remarks>
public sealed class KeyRateLimiter(KeyLimits limits, TimeProvider timeProvider)
{
    public const string RequestsLimit = "requests";
    public const string TokensLimit = "tokens";
    public const string ConcurrencyLimit = "concurrency";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// An admitted request whose completion never arrives (its silo died mid-call) stops
    /// counting against concurrency after this long.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(15);

    private readonly AdmissionLog _admitted = new();
    private readonly Dictionary<string, InFlightRequest> _inFlight = new(StringComparer.Ordinal);
    private long _tokensInWindow;
    private long _nextAbandonCheck;
    private int _preparing;

    public KeyLimits Limits { get; private set; } = limits;

    public int InFlight => _inFlight.Count;

    public void UpdateLimits(KeyLimits newLimits) => Limits = newLimits;

    /// <summary>
    /// Rebuilds the window after the key's activation moved (its silo died): every request the
    /// key admitted in the last minute, as the audit log recorded it before forwarding.
    /// </summary>
    /// <remarks>Requests counted without being forwarded are seeded with no tokens, as <see cref="CountUnforwarded"/> counts them.</remarks>
    public void Seed(IEnumerable<(DateTimeOffset AdmittedAt, int Tokens)> admitted)
    {
        var now = timeProvider.GetTimestamp();
        var wallNow = timeProvider.GetUtcNow();
        foreach (var (admittedAt, tokens) in admitted.OrderBy(a => a.AdmittedAt))
        {
            var age = wallNow - admittedAt;
            if (age < TimeSpan.Zero || age >= Window)
            {
                continue;
            }

            _admitted.Add(now - (long)(age.TotalSeconds * timeProvider.TimestampFrequency), tokens);
            _tokensInWindow += tokens;
        }
    }

    /// <summary>
    /// Whether a request may be prepared (parsed, bound, scanned): not when every concurrency slot
    /// is taken by requests in flight or being prepared, nor when those being prepared would use
    /// the requests left in the window (each of them ends admitted or counted). When it may, it
    /// holds a slot until <see cref="EndPreparing"/>; <see cref="TryAdmit"/> still decides.
    /// </summary>
    public RateDecision TryBeginPreparing()
    {
        var now = timeProvider.GetTimestamp();
        Prune(now);
        if (_inFlight.Count + _preparing >= Limits.MaxConcurrentRequests)
        {
            return Refuse(ConcurrencyLimit, TimeSpan.FromSeconds(1), now);
        }

        if (_admitted.Count + _preparing >= Limits.RequestsPerMinute)
        {
            // With nothing admitted yet, the requests being prepared fill the window: retry in a second.
            return Refuse(RequestsLimit, _admitted.Count > 0 ? UntilLeavesWindow(_admitted.OldestAdmittedAt, now) : TimeSpan.FromSeconds(1), now);
        }

        _preparing++;
        return new RateDecision(true, null, TimeSpan.Zero, Snapshot(now));
    }

    /// <summary>Ends the preparation <see cref="TryBeginPreparing"/> allowed, before the request is admitted or counted.</summary>
    public void EndPreparing() => _preparing = Math.Max(0, _preparing - 1);

    /// <summary>
    /// Counts a request that is not forwarded — refused before admission (its body, its model, DLP,
    /// its route) or answered by the key itself (a token count): it takes a request of the window
    /// like an admitted one, with no tokens and no concurrency slot.
    /// </summary>
    public RateLimitSnapshot CountUnforwarded()
    {
        var now = timeProvider.GetTimestamp();
        Prune(now);
        _admitted.Add(now, 0);
        return Snapshot(now);
    }

    public RateDecision TryAdmit(string requestId, int estimatedTokens)
    {
        var now = timeProvider.GetTimestamp();
        Prune(now);
        if (_inFlight.Count >= Limits.MaxConcurrentRequests)
        {
            return Refuse(ConcurrencyLimit, TimeSpan.FromSeconds(1), now);
        }

        if (_admitted.Count >= Limits.RequestsPerMinute)
        {
            return Refuse(RequestsLimit, UntilLeavesWindow(_admitted.OldestAdmittedAt, now), now);
        }

        if (_tokensInWindow + estimatedTokens > Limits.TokensPerMinute && (_tokensInWindow > 0 || estimatedTokens > Limits.TokensPerMinute))
        {
            var retry = _admitted.Count > 0 ? UntilLeavesWindow(_admitted.OldestAdmittedAt, now) : Window;
            return Refuse(TokensLimit, retry, now);
        }

        var sequence = _admitted.Add(now, estimatedTokens);
        _tokensInWindow += estimatedTokens;
        _inFlight[requestId] = new InFlightRequest(now, sequence);
        return new RateDecision(true, null, TimeSpan.Zero, Snapshot(now));
    }

    /// <summary>Ends a request: frees its concurrency slot and replaces its estimate with the real usage.</summary>
    public void Complete(string requestId, int actualTokens)
    {
        // A request settled after its admission left the window no longer counts, and changes nothing.
        if (_inFlight.Remove(requestId, out var request) && actualTokens > 0
            && _admitted.TryCorrect(request.Sequence, actualTokens, out var estimatedTokens))
        {
            _tokensInWindow += actualTokens - estimatedTokens;
        }
    }

    public RateLimitSnapshot Snapshot()
    {
        var now = timeProvider.GetTimestamp();
        Prune(now);
        return Snapshot(now);
    }

    private RateDecision Refuse(string limit, TimeSpan retryAfter, long now) => new(false, limit, retryAfter, Snapshot(now));

    private RateLimitSnapshot Snapshot(long now)
    {
        // Requests and tokens leave the window together: both reset when the oldest admission does.
        // Requests being prepared will each take one: they are not left.
        var reset = _admitted.Count > 0 ? UntilLeavesWindow(_admitted.OldestAdmittedAt, now) : TimeSpan.Zero;
        return new(
            Limits.RequestsPerMinute,
            Math.Max(0, Limits.RequestsPerMinute - _admitted.Count - _preparing),
            reset,
            Limits.TokensPerMinute,
            (int)Math.Clamp(Limits.TokensPerMinute - _tokensInWindow, 0, int.MaxValue),
            reset);
    }

    private TimeSpan UntilLeavesWindow(long admittedAt, long now)
    {
        var left = Window - timeProvider.GetElapsedTime(admittedAt, now);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void Prune(long now)
    {
        while (_admitted.Count > 0 && timeProvider.GetElapsedTime(_admitted.OldestAdmittedAt, now) >= Window)
        {
            _tokensInWindow -= _admitted.RemoveOldest();
        }

        // Abandoned calls are rare; looking for them once a second keeps admission O(1).
        if (_inFlight.Count > 0 && now >= _nextAbandonCheck)
        {
            _nextAbandonCheck = now + timeProvider.TimestampFrequency;
            foreach (var (requestId, request) in _inFlight)
            {
                if (timeProvider.GetElapsedTime(request.StartedAt, now) >= AbandonedAfter)
                {
                    _inFlight.Remove(requestId);
                }
            }
        }
    }

    /// <summary>An admitted request not yet completed: when it started and its entry in the window.</summary>
    private readonly record struct InFlightRequest(long StartedAt, long Sequence);
}
