using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Tests.Grains;

/// <summary>The key grain's non-streamed answer (its one reply after any heartbeats) as a task, for tests.</summary>
internal static class KeyGrainCalls
{
    public static Task<ProviderReply> SendOnce(this IApiKeyGrain grain, AdmissionRequest request) =>
        grain.Send(request).Where(r => !r.IsKeepAlive).SingleAsync().AsTask();
}
