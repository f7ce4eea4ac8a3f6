using System.Collections.Concurrent;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Compiled scanners for this silo: the global policy (re-read from its grain at most every
/// <see cref="RefreshInterval"/>, so a policy change reaches every silo within that time) with
/// each distinct set of per-key overrides applied.
/// </summary>
public sealed class DlpScannerCache(IDlpPolicySource source, TimeProvider timeProvider) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _current;

    public async ValueTask<DlpScanner> GetAsync(IReadOnlyDictionary<string, string>? overrides)
    {
        var snapshot = _current;
        if (snapshot is null || timeProvider.GetElapsedTime(snapshot.LoadedAt) >= RefreshInterval)
        {
            snapshot = await RefreshAsync();
        }

        var signature = overrides is null || overrides.Count == 0
            ? string.Empty
            : string.Join(';', overrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Key + "=" + o.Value));
        return snapshot.Scanners.GetOrAdd(signature, _ => new DlpScanner(DlpPolicyDocuments.WithOverrides(snapshot.Policy, overrides)));
    }

    /// <summary>The global policy as last read, for validating a key's overrides against it.</summary>
    public async ValueTask<DlpPolicy> GlobalPolicyAsync() => (_current is { } s && timeProvider.GetElapsedTime(s.LoadedAt) < RefreshInterval ? s : await RefreshAsync()).Policy;

    private async Task<Snapshot> RefreshAsync()
    {
        await _refresh.WaitAsync();
        try
        {
            if (_current is { } fresh && timeProvider.GetElapsedTime(fresh.LoadedAt) < RefreshInterval)
            {
                return fresh;
            }

            var document = await source.GetAsync();
            if (_current is { } same && same.Version == document.Version)
            {
                return _current = same with { LoadedAt = timeProvider.GetTimestamp() };
            }

            return _current = new Snapshot(document.Version, DlpPolicyDocuments.ToPolicy(document), timeProvider.GetTimestamp(), new ConcurrentDictionary<string, DlpScanner>(StringComparer.Ordinal));
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private sealed record Snapshot(long Version, DlpPolicy Policy, long LoadedAt, ConcurrentDictionary<string, DlpScanner> Scanners);
}
