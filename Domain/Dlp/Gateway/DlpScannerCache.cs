using System.Collections.Concurrent;
using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Compiled scanners for this silo: the global policy (re-read from its grain at most every
/// <see cref="RefreshInterval"/>, so a policy change reaches every silo within that time, and at
/// once in the process that saved it: <see cref="Install"/>) with each distinct set of per-key
/// overrides applied.
/// </summary>
/// <remarks>
/// The policy grain is one activation in the cluster, so it can live on a silo that has just died.
/// Once a policy is known, a request waits at most <see cref="RefreshWait"/> for a refresh; a
/// refresh that fails or is late leaves the last policy in force, and the next one is tried
/// <see cref="RetryInterval"/> later. Only a process that has never read the policy waits for the
/// grain, and fails when it cannot be reached: it has nothing to scan with.
/// </remarks>
public sealed class DlpScannerCache(IDlpPolicySource source, TimeProvider timeProvider)
{
    /// <summary>
    /// How old the policy may be before a request reads it again: one grain call a second per
    /// silo, against an admin who switches a category to <c>block</c> and expects it to hold.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a request waits for a refresh before it is served with the last policy.</summary>
    public static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(1);

    /// <summary>How long after a failed refresh the next is tried.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Snapshot? _current;
    private Task<Snapshot>? _refreshing;
    private long _retryAt;

    public async ValueTask<DlpScanner> GetAsync(IReadOnlyDictionary<string, string>? overrides)
    {
        var snapshot = await CurrentAsync();
        var signature = overrides is null || overrides.Count == 0
            ? string.Empty
            : string.Join(';', overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Key + "=" + o.Value));
        return snapshot.Scanners.GetOrAdd(signature, _ => new DlpScanner(DlpPolicyDocuments.WithOverrides(snapshot.Policy, overrides)));
    }

    /// <summary>
    /// Puts a policy just saved in force in this process without waiting for the next read (the
    /// admin API's process: in the all-in-one, every request's). An older version than the one
    /// held is ignored: two saves can finish in either order.
    /// </summary>
    public void Install(DlpPolicyDocument document)
    {
        var policy = DlpPolicyDocuments.ToPolicy(document);
        lock (_lock)
        {
            if (_current is null || _current.Version < document.Version)
            {
                _current = new Snapshot(document.Version, policy, timeProvider.GetTimestamp(), new ConcurrentDictionary<string, DlpScanner>(StringComparer.Ordinal));
            }
        }
    }

    /// <summary>
    /// The global policy, fresh, for validating a key's overrides against it (the admin API): read
    /// from the grain unless it was read within <see cref="RefreshInterval"/>.
    /// </summary>
    public async ValueTask<DlpPolicy> GlobalPolicyAsync() => (_current is { } s && !IsStale(s) ? s : await RefreshAsync()).Policy;

    /// <summary>
    /// The global policy as last read, without waiting (null before the first read); a missing or
    /// stale one is read again in the background, for the next caller.
    /// </summary>
    public DlpPolicy? LatestPolicy()
    {
        var snapshot = _current;
        if ((snapshot is null || IsStale(snapshot)) && timeProvider.GetTimestamp() >= Interlocked.Read(ref _retryAt))
        {
            _ = RefreshAsync().ContinueWith(
                // A failed read (the grain unreachable) postpones the next; reading Exception observes it.
                static (failed, cache) =>
                {
                    _ = failed.Exception;
                    ((DlpScannerCache)cache!).RetryLater();
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return snapshot?.Policy;
    }

    private async ValueTask<Snapshot> CurrentAsync()
    {
        var snapshot = _current;
        if (snapshot is null)
        {
            return await RefreshAsync();
        }

        if (!IsStale(snapshot) || timeProvider.GetTimestamp() < Interlocked.Read(ref _retryAt))
        {
            return snapshot;
        }

        try
        {
            return await RefreshAsync().WaitAsync(RefreshWait, timeProvider);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The grain is unreachable or slow: the last policy stays in force for now.
            RetryLater();
            return snapshot;
        }
    }

    private void RetryLater() =>
        Interlocked.Exchange(ref _retryAt, timeProvider.GetTimestamp() + (long)(RetryInterval.TotalSeconds * timeProvider.TimestampFrequency));

    private bool IsStale(Snapshot snapshot) => timeProvider.GetElapsedTime(snapshot.LoadedAt) >= RefreshInterval;

    /// <summary>One read of the grain at a time; concurrent callers share it.</summary>
    private Task<Snapshot> RefreshAsync()
    {
        lock (_lock)
        {
            if (_refreshing is null || _refreshing.IsCompleted)
            {
                _refreshing = ReadAsync();
            }

            return _refreshing;
        }
    }

    private async Task<Snapshot> ReadAsync()
    {
        var document = await source.GetAsync().ConfigureAwait(false);
        var loadedAt = timeProvider.GetTimestamp();
        var read = _current is { } same && same.Version == document.Version
            ? same with { LoadedAt = loadedAt }
            : new Snapshot(document.Version, DlpPolicyDocuments.ToPolicy(document), loadedAt, new ConcurrentDictionary<string, DlpScanner>(StringComparer.Ordinal));
        lock (_lock)
        {
            // A read that began before an Install of a newer version must not undo it.
            if (_current is not { } installed || installed.Version <= read.Version)
            {
                _current = read;
            }

            return _current;
        }
    }

    private sealed record Snapshot(long Version, DlpPolicy Policy, long LoadedAt, ConcurrentDictionary<string, DlpScanner> Scanners);
}
