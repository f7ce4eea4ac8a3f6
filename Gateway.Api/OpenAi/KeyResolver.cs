using System.Collections.Concurrent;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Finds the key id for a presented secret. The id is looked up by the secret's SHA-256, so
/// the lookup's timing depends on a hash, never on the secret; the key grain then compares the
/// hash in constant time. The mapping never changes, so hits are cached; revocation is checked
/// by the key grain on every request and is not affected by the cache. Misses are remembered for
/// a minute too, so a flood of made-up keys costs one lookup each, not one storage read per
/// request; that is safe because a secret cannot be presented before it has been minted.
/// </summary>
public sealed class KeyResolver(IGrainFactory grains, TimeProvider timeProvider)
{
    private const int MaxCachedKeys = 100_000;
    private static readonly TimeSpan MissLifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, string> _idsByHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _misses = new(StringComparer.Ordinal);

    public async ValueTask<(string? KeyId, string SecretSha256)> ResolveAsync(string secret)
    {
        var hash = ApiKeySecrets.Hash(secret);
        if (_idsByHash.TryGetValue(hash, out var cached))
        {
            return (cached, hash);
        }

        // Only the gateway's own key shape can exist; anything else is refused without a lookup.
        if (!secret.StartsWith(ApiKeySecrets.SecretPrefix, StringComparison.Ordinal))
        {
            return (null, hash);
        }

        if (_misses.TryGetValue(hash, out var missedAt) && timeProvider.GetElapsedTime(missedAt) < MissLifetime)
        {
            return (null, hash);
        }

        var id = await grains.GetGrain<IKeyLookupGrain>(hash).Resolve();
        if (id is null)
        {
            if (_misses.Count >= MaxCachedKeys)
            {
                _misses.Clear();
            }

            _misses[hash] = timeProvider.GetTimestamp();
        }
        else
        {
            _misses.TryRemove(hash, out _);
            if (_idsByHash.Count >= MaxCachedKeys)
            {
                _idsByHash.Clear();
            }

            _idsByHash[hash] = id;
        }

        return (id, hash);
    }
}
