using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;
using Synapse.Routing;
using Synapse.Telemetry;

namespace Synapse.Requests;

/// <summary>
/// Calls a call's providers in its route order until one answers. A failure the next provider
/// could not fix (the request itself is wrong) ends the call; a stream moves on only before its
/// provider's first chunk, because a client that has chunks must never get a second answer.
/// </summary>
public sealed partial class FailoverCaller(ProviderClientFactory clients, ProviderCatalog catalog, ILogger<FailoverCaller> logger)
{
    /// <summary>The first answer, or the failure that answers for all (<see cref="Failover.Answering"/>); <c>ServedBy</c> is the provider that answered.</summary>
    public async Task<(ProviderReply Reply, string? ServedBy)> SendAsync(ProviderCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var failure = Failover.NoCandidate;
        foreach (var route in Failover.Candidates(call, catalog))
        {
            ProviderReply reply;
            using (var span = StartSpan(call, route))
            {
                reply = await SendOnceAsync(route.Name, call);
                EndSpan(span, reply.Failure);
            }

            if (reply.Failure is null)
            {
                return (reply, route.Name);
            }

            Log.ProviderFailed(logger, route.Name, reply.Failure.Code, call.RequestId);
            failure = Failover.Answering(failure, reply.Failure);
            if (!Failover.MayTryNext(reply.Failure))
            {
                break;
            }
        }

        return (new ProviderReply(null, failure), null);
    }

    /// <summary>The chunks of the first provider that starts answering, each with its provider; a failure ends the sequence.</summary>
    public async IAsyncEnumerable<(StreamEvent Event, string Provider)> StreamAsync(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var failure = Failover.NoCandidate;
        var provider = call.Provider;
        foreach (var route in Failover.Candidates(call, catalog))
        {
            provider = route.Name;
            var started = false;
            var movedOn = false;
            using var span = StartSpan(call, route);
            await using var events = clients.Create(route.Name).StreamAsync(call with { Provider = route.Name }, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (await NextAsync(events) is { } item)
            {
                if (item.Failure is { } failed)
                {
                    failure = Failover.Answering(failure, failed);
                    EndSpan(span, failed);
                    Log.ProviderFailed(logger, route.Name, failed.Code, call.RequestId);
                    if (!started && Failover.MayTryNext(failed))
                    {
                        movedOn = true;
                        break;
                    }

                    yield return (item, route.Name);
                    yield break;
                }

                started = true;
                yield return (item, route.Name);
            }

            if (!movedOn)
            {
                yield break;
            }
        }

        yield return (new StreamEvent(null, failure), provider);
    }

    /// <summary>
    /// One provider attempt as a GenAI client span (<c>chat llama3</c>), the parent of its HTTP
    /// span. Its tags are names from the configuration; the body is never read into it.
    /// </summary>
    private static Activity? StartSpan(ProviderCall call, ProviderRoute route)
    {
        var tags = ProviderCallTags.Of(call, route);
        var span = GatewayTelemetry.Source.StartActivity($"{tags.Operation} {tags.Model}", ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            foreach (var tag in tags.ToTagList())
            {
                span.SetTag(tag.Key, tag.Value);
            }
        }

        return span;
    }

    private static void EndSpan(Activity? span, ProviderFailure? failure)
    {
        if (span is not null && failure is not null)
        {
            span.SetTag("error.type", failure.Code);
            span.SetStatus(ActivityStatusCode.Error);
        }
    }

    private async Task<ProviderReply> SendOnceAsync(string provider, ProviderCall call)
    {
        try
        {
            return await clients.Create(provider).SendAsync(call with { Provider = provider }, CancellationToken.None);
        }
        catch (ExecutionRejectedException rejection)
        {
            return new ProviderReply(null, Failover.Rejected(rejection));
        }
    }

    /// <summary>The next event, with Polly's refusals turned into a failure event; null at the end.</summary>
    private static async Task<StreamEvent?> NextAsync(IAsyncEnumerator<StreamEvent> events)
    {
        try
        {
            return await events.MoveNextAsync() ? events.Current : null;
        }
        catch (ExecutionRejectedException rejection)
        {
            return new StreamEvent(null, Failover.Rejected(rejection));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Provider {Provider} failed with {Code} for request {RequestId}")]
        public static partial void ProviderFailed(ILogger logger, string provider, string code, string requestId);
    }
}
