using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Providers;

/// <summary>
/// Runs admitted provider calls on the caller's silo. Stateless and reentrant, so any number of
/// calls — slow ones included — run side by side without touching a key grain's turn; each one
/// reports back to its key grain when it ends.
/// </summary>
[StatelessWorker, Reentrant]
[GrainType("synapse.provider-call")]
internal sealed partial class ProviderCallGrain(ProviderClientFactory clients, ILogger<ProviderCallGrain> logger) : Grain, IProviderCallGrain
{
    public async Task<ProviderReply> Send(ProviderCall call)
    {
        var reply = new ProviderReply(null, UpstreamFailures.Unreachable("Provider", call.Provider));
        try
        {
            reply = await clients.Create(call.Provider).SendAsync(call, CancellationToken.None);
            return reply;
        }
        finally
        {
            var usage = reply.Body is { } body ? UsageReader.Read(body) : default;
            await ReportAsync(call, reply.Failure, usage);
        }
    }

    public async IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProviderFailure? failure = null;
        TokenUsage usage = default;
        try
        {
            await foreach (var item in clients.Create(call.Provider).StreamAsync(call, cancellationToken))
            {
                failure ??= item.Failure;
                if (item.Data is { } data && UsageReader.MayCarryUsage(data))
                {
                    usage = UsageReader.Read(data);
                }

                yield return item;
            }
        }
        finally
        {
            await ReportAsync(call, failure, usage);
        }
    }

    private async Task ReportAsync(ProviderCall call, ProviderFailure? failure, TokenUsage usage)
    {
        if (failure is not null)
        {
            Log.ProviderFailed(logger, call.Provider, failure.Code, call.RequestId);
        }

        var completion = new RequestCompletion(call.RequestId, failure is null, usage.PromptTokens, usage.CompletionTokens);
        await GrainFactory.GetGrain<IApiKeyGrain>(call.KeyId).Complete(completion);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Provider {Provider} failed with {Code} for request {RequestId}")]
        public static partial void ProviderFailed(ILogger logger, string provider, string code, string requestId);
    }
}
