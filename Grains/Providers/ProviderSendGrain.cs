using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Providers;

/// <summary>
/// Non-streamed provider calls, on the caller's silo. Stateless and reentrant: any number of
/// calls, slow ones included, run side by side outside every key grain's turn.
/// </summary>
[StatelessWorker, Reentrant]
[GrainType("synapse.provider-send")]
internal sealed class ProviderSendGrain(ProviderCallRunner runner) : Grain, IProviderSendGrain
{
    public Task<ProviderReply> Send(ProviderCall call) => runner.SendAsync(call);
}
