using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Tests.Gateway;

public sealed class KeyResolverTests
{
    [Fact]
    public async Task UnknownKeys_AreLookedUpOncePerMinute_KnownKeysOnce()
    {
        var clock = new FakeTimeProvider();
        var factory = CountingFactory.Create(known: "syn-known");
        var resolver = new KeyResolver(factory, clock);

        for (var i = 0; i < 5; i++)
        {
            Assert.Null((await resolver.ResolveAsync("syn-made-up")).KeyId);
            Assert.Equal("key_1", (await resolver.ResolveAsync("syn-known")).KeyId);
        }

        Assert.Equal(2, CountingFactory.Lookups);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await resolver.ResolveAsync("syn-made-up")).KeyId);
        Assert.Null((await resolver.ResolveAsync("not-even-our-shape")).KeyId);
        Assert.Equal(3, CountingFactory.Lookups);
    }

    /// <summary>An IGrainFactory whose lookup grains know one secret and count their calls.</summary>
    public class CountingFactory : DispatchProxy
    {
        private static string _knownHash = string.Empty;

        public static int Lookups { get; private set; }

        public static IGrainFactory Create(string known)
        {
            _knownHash = Synapse.Keys.ApiKeySecrets.Hash(known);
            Lookups = 0;
            return DispatchProxy.Create<IGrainFactory, CountingFactory>();
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var lookup = DispatchProxy.Create<IKeyLookupGrain, CountingLookup>();
            ((CountingLookup)(object)lookup).Hash = (string)args![0]!;
            return lookup;
        }

        public class CountingLookup : DispatchProxy
        {
            public string Hash { get; set; } = string.Empty;

            protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
            {
                Lookups++;
                return Task.FromResult<string?>(Hash == _knownHash ? "key_1" : null);
            }
        }
    }
}
