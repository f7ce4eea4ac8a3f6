using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Finds the key id for a presented secret. The id is looked up by the secret's SHA-256, so
/// the lookup's timing depends on a hash, never on the secret; the key grain then compares the
/// hash in constant time. What a flood of made-up keys can cost is bounded three ways: a token
/// that is not in the key format is refused without a lookup; a well-formed one costs one call to
/// a lookup shard that already exists (<see cref="IKeyLookupGrain"/>: no activation, no storage
/// read per guess); and its answer is remembered in a cache whose size is capped
/// (<see cref="KeyAuthenticationOptions.CacheEntries"/>), where guesses are evicted before keys.
/// </summary>
/// <remarks>
/// A hit is cached without expiry: the hash names its key for good, and whether the key takes it
/// now — revoked, expired, or a secret a rotation replaced whose overlap has ended — is checked by
/// the key grain (one activation in the cluster) on every request, so no front end's cache can
/// keep a secret working. A rotation unbinds old hashes from the lookup; a cached one still leads
/// to its key, which refuses it. Misses are remembered for a minute, which is safe because a
/// secret cannot be presented before it has been minted — a rotation's new secret included, as it
/// is bound before it is shown.
/// </remarks>
public sealed class KeyResolver : IDisposable
{
    private static readonly TimeSpan MissLifetime = TimeSpan.FromMinutes(1);
    private static readonly object Miss = new();
    private readonly IGrainFactory _grains;
    private readonly MemoryCache _cache;

    public KeyResolver(IGrainFactory grains, IOptions<KeyAuthenticationOptions> options, TimeProvider timeProvider)
    {
        _grains = grains;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.CacheEntries,
            CompactionPercentage = 0.25,
            // MemoryCache takes its clock as an ISystemClock; this one lets tests move it.
            Clock = new TimeProviderClock(timeProvider),
        });
    }

    public async ValueTask<(string? KeyId, string SecretSha256)> ResolveAsync(string secret)
    {
        // Only the gateway's own key shape can exist; anything else is refused without a lookup.
        if (!ApiKeySecrets.IsWellFormed(secret))
        {
            return (null, string.Empty);
        }

        var hash = ApiKeySecrets.Hash(secret);
        if (_cache.TryGetValue(hash, out var cached))
        {
            return (cached as string, hash);
        }

        var id = await _grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(hash)).Resolve(hash);
        using (var entry = _cache.CreateEntry(hash))
        {
            entry.Size = 1;
            entry.Value = id ?? Miss;
            if (id is null)
            {
                entry.AbsoluteExpirationRelativeToNow = MissLifetime;
                entry.Priority = CacheItemPriority.Low;
            }
            else
            {
                entry.Priority = CacheItemPriority.High;
            }
        }

        return (id, hash);
    }

    /// <summary>How many answers are cached now (never more than the configured size).</summary>
    internal long CachedEntries => _cache.Count;

    public void Dispose() => _cache.Dispose();

    private sealed class TimeProviderClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
}
