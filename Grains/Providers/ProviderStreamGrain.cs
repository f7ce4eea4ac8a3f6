using System.Runtime.CompilerServices;
using Orleans.Placement;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Providers;

/// <summary>
/// One streamed provider call (grain key: the request id). Not a stateless worker: the calls
/// that page through a streamed answer must all reach the activation that holds the stream, and a
/// stateless worker may hand them to another one.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
[GrainType("synapse.provider-stream")]
internal sealed class ProviderStreamGrain(ProviderCallRunner runner) : Grain, IProviderStreamGrain
{
    public async IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in runner.StreamAsync(call, DeactivateSoon, cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>
    /// The caller still pages through the enumerator's last batch and disposes it after the
    /// iterator has finished, so the activation must outlive it for a moment.
    /// </summary>
    private void DeactivateSoon() =>
        this.RegisterGrainTimer(() =>
        {
            DeactivateOnIdle();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(10), Period = Timeout.InfiniteTimeSpan });
}
