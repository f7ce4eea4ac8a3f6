using Microsoft.Extensions.Time.Testing;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Dlp;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// The DLP policy grain is one activation in the cluster, so it can be on the silo that just died.
/// A silo that has read the policy once keeps scanning with that policy while the grain is out of
/// reach (and tries again a little later); one that never read it has nothing to scan with, and fails.
/// </summary>
public sealed class DlpPolicyCacheTests
{
    [Fact]
    public async Task AnUnreachablePolicyGrain_LeavesTheLastPolicyInForce_AndIsReadAgainOnceItIsBack()
    {
        var clock = new FakeTimeProvider();
        var source = new InMemoryDlpPolicySource();
        var cache = new DlpScannerCache(source, clock);
        var first = await cache.GetAsync(null);
        Assert.Equal(1, source.Reads);

        source.Reachable = false;
        clock.Advance(DlpScannerCache.RefreshInterval);
        Assert.Same(first, await cache.GetAsync(null));
        Assert.Equal(2, source.Reads);

        // No read until the retry interval has passed: requests are not held up by a dead grain.
        Assert.Same(first, await cache.GetAsync(null));
        Assert.Equal(2, source.Reads);

        source.Reachable = true;
        source.Version = 2;
        clock.Advance(DlpScannerCache.RetryInterval);
        var refreshed = await cache.GetAsync(null);
        Assert.Equal(3, source.Reads);
        Assert.NotSame(first, refreshed);
    }

    [Fact]
    public async Task AProcessThatNeverReadThePolicy_FailsWhileItsGrainIsUnreachable()
    {
        var cache = new DlpScannerCache(new InMemoryDlpPolicySource { Reachable = false }, new FakeTimeProvider());

        await Assert.ThrowsAsync<TimeoutException>(() => cache.GetAsync(null).AsTask());
    }
}
