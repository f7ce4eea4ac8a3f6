using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Polly;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Routing;

namespace Synapse.Grains.Providers;

/// <summary>
/// Runs one admitted provider call on the caller's silo, failing over along the call's route,
/// and reports back to its key grain when it ends. One activation per request (not a stateless
/// worker): the calls that page through a streamed answer must all reach the activation that
/// holds the stream. A stream fails over only before its first chunk: once the client has bytes,
/// it is never retried.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
[GrainType("synapse.provider-call")]
internal sealed partial class ProviderCallGrain(ProviderClientFactory clients, ProviderCatalog catalog, ILogger<ProviderCallGrain> logger) : Grain, IProviderCallGrain
{
    public async Task<ProviderReply> Send(ProviderCall call)
    {
        var reply = new ProviderReply(null, Failover.NoCandidate(call));
        string? servedBy = null;
        try
        {
            foreach (var route in Failover.Candidates(call, catalog))
            {
                reply = await SendOnceAsync(route.Name, call);
                if (reply.Failure is null)
                {
                    servedBy = route.Name;
                    break;
                }

                Log.ProviderFailed(logger, route.Name, reply.Failure.Code, call.RequestId);
                if (!Failover.MayTryNext(reply.Failure))
                {
                    break;
                }
            }

            return reply;
        }
        finally
        {
            var usage = reply.Body is { } body ? UsageReader.Read(body) : default;
            await ReportAsync(call, servedBy, reply.Failure, usage);
            DeactivateOnIdle();
        }
    }

    public async IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ProviderFailure? failure = Failover.NoCandidate(call);
        string? servedBy = null;
        TokenUsage usage = default;
        try
        {
            foreach (var route in Failover.Candidates(call, catalog))
            {
                failure = null;
                var sentAny = false;
                await using var events = clients.Create(route.Name).StreamAsync(call with { Provider = route.Name }, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await NextAsync(events, route.Name) is { } item)
                {
                    if (item.Failure is { } itemFailure)
                    {
                        failure = itemFailure;
                        Log.ProviderFailed(logger, route.Name, itemFailure.Code, call.RequestId);
                        if (!sentAny && Failover.MayTryNext(itemFailure))
                        {
                            break;
                        }

                        yield return item;
                        yield break;
                    }

                    if (item.Data is { } data && UsageReader.MayCarryUsage(data))
                    {
                        usage = UsageReader.Read(data);
                    }

                    sentAny = true;
                    yield return item;
                }

                if (failure is null)
                {
                    servedBy = route.Name;
                    yield break;
                }
            }

            if (failure is not null)
            {
                yield return new StreamEvent(null, failure);
            }
        }
        finally
        {
            await ReportAsync(call, servedBy, servedBy is null ? failure : null, usage);
            DeactivateSoon();
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

    private async Task<ProviderReply> SendOnceAsync(string provider, ProviderCall call)
    {
        try
        {
            return await clients.Create(provider).SendAsync(call with { Provider = provider }, CancellationToken.None);
        }
        catch (ExecutionRejectedException rejection)
        {
            return new ProviderReply(null, Failover.Rejected(provider, rejection));
        }
    }

    /// <summary>The next event, with Polly's refusals turned into a failure event; null at the end.</summary>
    private static async Task<StreamEvent?> NextAsync(IAsyncEnumerator<StreamEvent> events, string provider)
    {
        try
        {
            return await events.MoveNextAsync() ? events.Current : null;
        }
        catch (ExecutionRejectedException rejection)
        {
            return new StreamEvent(null, Failover.Rejected(provider, rejection));
        }
    }

    private async Task ReportAsync(ProviderCall call, string? servedBy, ProviderFailure? failure, TokenUsage usage)
    {
        var completion = new RequestCompletion(call.RequestId, failure is null, usage.PromptTokens, usage.CompletionTokens, servedBy, failure?.Code);
        await GrainFactory.GetGrain<IApiKeyGrain>(call.KeyId).Complete(completion);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Provider {Provider} failed with {Code} for request {RequestId}")]
        public static partial void ProviderFailed(ILogger logger, string provider, string code, string requestId);
    }
}
