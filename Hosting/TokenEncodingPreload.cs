using Microsoft.Extensions.Hosting;
using Synapse.RateLimiting;

namespace Synapse.Hosting;

/// <summary>
/// Loads the prompt-token encoding on a pool thread while the silo starts: the first request would
/// otherwise wait a third of a second for it (docs/benchmarks.md, "Start-up"). Start-up does not wait
/// for it either; a load that fails fails again, and is reported, in the request that needs it.
/// </summary>
internal sealed class TokenEncodingPreload : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(PromptTokenEstimator.LoadEncoding, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
