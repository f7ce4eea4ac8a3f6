using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Polly;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
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
internal sealed partial class ProviderCallGrain(
    ProviderClientFactory clients,
    ProviderCatalog catalog,
    AuditDigester digester,
    AuditOptions auditOptions,
    TimeProvider timeProvider,
    ILogger<ProviderCallGrain> logger) : Grain, IProviderCallGrain
{
    public async Task<ProviderReply> Send(ProviderCall call)
    {
        var started = timeProvider.GetTimestamp();
        if (await RecordRequestAsync(call) is { } auditFailure)
        {
            await ReportAsync(call, null, auditFailure, default, null, started, recordCompletion: false);
            DeactivateOnIdle();
            return new ProviderReply(null, auditFailure);
        }

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
            var answer = reply.Body is { } text && call.Operation != RequestOperation.Embeddings ? AnswerText.FromCompletion(text) : null;
            await ReportAsync(call, servedBy, reply.Failure, usage, answer, started);
            DeactivateOnIdle();
        }
    }

    public async IAsyncEnumerable<StreamEvent> Stream(ProviderCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        if (await RecordRequestAsync(call) is { } auditFailure)
        {
            await ReportAsync(call, null, auditFailure, default, null, started, recordCompletion: false);
            DeactivateSoon();
            yield return new StreamEvent(null, auditFailure);
            yield break;
        }

        ProviderFailure? failure = Failover.NoCandidate(call);
        string? servedBy = null;
        TokenUsage usage = default;
        var answer = new AnswerText();
        var ended = false;
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

                    if (item.Data is { } data)
                    {
                        answer.AddChunk(data);
                        if (UsageReader.MayCarryUsage(data))
                        {
                            usage = UsageReader.Read(data);
                        }
                    }

                    sentAny = true;
                    yield return item;
                }

                if (failure is null)
                {
                    servedBy = route.Name;
                    ended = true;
                    yield break;
                }
            }

            ended = true;
            if (failure is not null)
            {
                yield return new StreamEvent(null, failure);
            }
        }
        finally
        {
            // Not ended: the client went away (the enumerator was disposed mid-stream).
            var outcome = ended ? null : AuditOutcomes.ClientCancelled;
            await ReportAsync(call, servedBy, ended && servedBy is null ? failure : null, usage, answer.ToString(), started, outcomeOverride: outcome);
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

    /// <summary>
    /// Makes the call's <c>request</c> event durable before any provider sees the body. When the
    /// audit log cannot take it the call fails closed, unless the operator chose fail-open.
    /// </summary>
    private async Task<ProviderFailure?> RecordRequestAsync(ProviderCall call)
    {
        if (call.RequestAudit is not { } record)
        {
            return null;
        }

        try
        {
            await GrainFactory.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
            return null;
        }
        catch (AuditUnavailableException)
        {
            Log.AuditUnavailable(logger, call.RequestId, auditOptions.FailOpen);
            return auditOptions.FailOpen ? null : new ProviderFailure(AuditFailures.Unavailable, "The audit log is unavailable, so the request was not forwarded.");
        }
    }

    private async Task ReportAsync(ProviderCall call, string? servedBy, ProviderFailure? failure, TokenUsage usage, string? answer, long started, bool recordCompletion = true, string? outcomeOverride = null)
    {
        var completion = new RequestCompletion(call.RequestId, failure is null && outcomeOverride is null, usage.PromptTokens, usage.CompletionTokens, servedBy, failure?.Code);
        await GrainFactory.GetGrain<IApiKeyGrain>(call.KeyId).Complete(completion);
        if (!recordCompletion)
        {
            return;
        }

        var record = AuditRecord.Create(AuditEventKind.Completion, outcomeOverride ?? (failure is null ? AuditOutcomes.Completed : call.Stream && servedBy is not null ? AuditOutcomes.StreamBroken : AuditOutcomes.UpstreamError), timeProvider.GetUtcNow()) with
        {
            RequestId = call.RequestId,
            KeyId = call.KeyId,
            TeamId = call.TeamId,
            Model = call.Model,
            Provider = servedBy ?? call.Provider,
            ProviderLocation = catalog.Find(servedBy ?? call.Provider)?.Location,
            HttpStatus = failure is null ? 200 : 502,
            ResponseSha256 = answer is null ? null : digester.Response(answer),
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            LatencyMs = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds,
        };
        try
        {
            await GrainFactory.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
        }
        catch (AuditUnavailableException)
        {
            // The answer has already gone out; the request event is durable, so the log shows a
            // request without its completion rather than nothing.
            Log.AuditUnavailable(logger, call.RequestId, auditOptions.FailOpen);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Provider {Provider} failed with {Code} for request {RequestId}")]
        public static partial void ProviderFailed(ILogger logger, string provider, string code, string requestId);

        [LoggerMessage(2, LogLevel.Error, "The audit log could not record an event of request {RequestId} (fail-open: {FailOpen})")]
        public static partial void AuditUnavailable(ILogger logger, string requestId, bool failOpen);
    }
}
