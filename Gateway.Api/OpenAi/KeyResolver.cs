using System.Collections.Concurrent;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Keys;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Finds the key id for a presented secret. The id is looked up by the secret's SHA-256, so
/// the lookup's timing depends on a hash, never on the secret; the key grain then compares the
/// hash in constant time. The mapping never changes, so hits are cached; revocation is checked
/// by the key grain on every request and is not affected by the cache.
/// </summary>
public sealed class KeyResolver(IGrainFactory grains)
{
    private const int MaxCachedKeys = 100_000;
    private readonly ConcurrentDictionary<string, string> _idsByHash = new(StringComparer.Ordinal);

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

        var id = await grains.GetGrain<IKeyLookupGrain>(hash).Resolve();
        if (id is not null)
        {
            if (_idsByHash.Count >= MaxCachedKeys)
            {
                _idsByHash.Clear();
            }

            _idsByHash[hash] = id;
        }

        return (id, hash);
    }
}
