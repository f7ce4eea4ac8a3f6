using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Keys;

namespace Synapse.Tests.Gateway;

public sealed class KeyResolverTests
{
    [Fact]
    public async Task UnknownKeys_AreLookedUpOncePerMinute_KnownKeysOnce()
    {
        var clock = new FakeTimeProvider();
        var known = ApiKeySecrets.Generate();
        var madeUp = ApiKeySecrets.Generate();
        var lookups = new LookupCounter(known);
        using var resolver = new KeyResolver(lookups.Factory, Options.Create(new KeyAuthenticationOptions()), clock);

        for (var i = 0; i < 5; i++)
        {
            Assert.Null((await resolver.ResolveAsync(madeUp)).KeyId);
            Assert.Equal("key_1", (await resolver.ResolveAsync(known)).KeyId);
        }

        Assert.Equal(2, lookups.Count);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await resolver.ResolveAsync(madeUp)).KeyId);
        Assert.Equal("key_1", (await resolver.ResolveAsync(known)).KeyId);
        Assert.Equal(3, lookups.Count);
    }

    [Theory]
    [InlineData("not-even-our-shape")]
    [InlineData("syn-short")]
    [InlineData("syn-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("syn-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("SYN-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task TokensThatAreNotInTheKeyFormat_AreRefusedWithoutALookup(string token)
    {
        var lookups = new LookupCounter(ApiKeySecrets.Generate());
        using var resolver = new KeyResolver(lookups.Factory, Options.Create(new KeyAuthenticationOptions()), TimeProvider.System);

        Assert.Null((await resolver.ResolveAsync(token)).KeyId);
        Assert.Equal(0, lookups.Count);
        Assert.Equal(0, resolver.CachedEntries);
    }

    [Fact]
    public async Task AFloodOfGuesses_NeverGrowsTheCacheBeyondItsSize_AndKeepsTheKnownKey()
    {
        var known = ApiKeySecrets.Generate();
        var lookups = new LookupCounter(known);
        using var resolver = new KeyResolver(lookups.Factory, Options.Create(new KeyAuthenticationOptions { CacheEntries = 100 }), TimeProvider.System);
        Assert.Equal("key_1", (await resolver.ResolveAsync(known)).KeyId);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null((await resolver.ResolveAsync(ApiKeySecrets.Generate())).KeyId);
            Assert.InRange(resolver.CachedEntries, 1, 100);
        }

        var before = lookups.Count;
        Assert.Equal("key_1", (await resolver.ResolveAsync(known)).KeyId);
        Assert.Equal(before, lookups.Count);
    }

    /// <summary>An IGrainFactory whose lookup shards know one secret and count their calls.</summary>
    public sealed class LookupCounter(string known)
    {
        private readonly string _knownHash = ApiKeySecrets.Hash(known);
        private int _count;

        public int Count => _count;

        public IGrainFactory Factory
        {
            get
            {
                var factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
                ((FactoryProxy)(object)factory).Counter = this;
                return factory;
            }
        }

        private string? Resolve(string hash)
        {
            Interlocked.Increment(ref _count);
            return hash == _knownHash ? "key_1" : null;
        }

        public class FactoryProxy : DispatchProxy
        {
            internal LookupCounter Counter { get; set; } = null!;

            protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
            {
                var lookup = DispatchProxy.Create<IKeyLookupGrain, ShardProxy>();
                ((ShardProxy)(object)lookup).Counter = Counter;
                return lookup;
            }
        }

        public class ShardProxy : DispatchProxy
        {
            internal LookupCounter Counter { get; set; } = null!;

            protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
                Task.FromResult(Counter.Resolve((string)args![0]!));
        }
    }
}
