using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Routing;

using Synapse.Providers;

namespace Synapse.Grains.Providers;

/// <summary>
/// Runs one admitted provider call: makes its <c>request</c> event durable, fails over along the
/// call's route, filters the answer through response-side DLP, and reports back to the key grain
/// and the audit log once the answer has been delivered. A stream fails over only before its first
/// chunk: once the client has bytes, it is never retried. Used by <see cref="ProviderSendGrain"/>
/// and <see cref="ProviderStreamGrain"/>.
/// </summary>
internal sealed partial class ProviderCallRunner(
    IGrainFactory grainFactory,
    ProviderClientFactory clients,
    ProviderCatalog catalog,
    AuditDigester digester,
    AuditOptions auditOptions,
    DlpScannerCache scanners,
    TimeProvider timeProvider,
    ILogger<ProviderCallRunner> logger)
{
    public async Task<ProviderReply> SendAsync(ProviderCall call)
    {
        var outcome = new CallOutcome(timeProvider.GetTimestamp());
        if (await RecordRequestAsync(call) is { } auditFailure)
        {
            await ReportAsync(call, outcome, recordCompletion: false);
            return new ProviderReply(null, auditFailure);
        }

        var reply = new ProviderReply(null, Failover.NoCandidate(call));
        try
        {
            foreach (var route in Failover.Candidates(call, catalog))
            {
                reply = await SendOnceAsync(route.Name, call);
                if (reply.Failure is null)
                {
                    outcome.ServedBy = route.Name;
                    break;
                }

                Log.ProviderFailed(logger, route.Name, reply.Failure.Code, call.RequestId);
                if (!Failover.MayTryNext(reply.Failure))
                {
                    break;
                }
            }

            if (reply.Body is { } body && call.Operation == RequestOperation.ChatCompletions)
            {
                reply = await FilterAnswerAsync(call, body, outcome);
            }

            outcome.Failure = reply.Failure;
            outcome.Ended = true;
            return reply;
        }
        finally
        {
            outcome.Usage = reply.Body is { } body ? UsageReader.Read(body) : default;
            ReportAfterReply(call, outcome, afterReport: null);
        }
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(ProviderCall call, Action afterReport, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var outcome = new CallOutcome(timeProvider.GetTimestamp());
        if (await RecordRequestAsync(call) is { } auditFailure)
        {
            await ReportAsync(call, outcome, recordCompletion: false);
            afterReport();
            yield return new StreamEvent(null, auditFailure);
            yield break;
        }

        var filter = new StreamingResponseFilter(await scanners.GetAsync(call.DlpOverrides));
        outcome.Failure = Failover.NoCandidate(call);
        try
        {
            foreach (var route in Failover.Candidates(call, catalog))
            {
                outcome.Failure = null;
                await using var events = clients.Create(route.Name).StreamAsync(call with { Provider = route.Name }, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await NextAsync(events, route.Name) is { } item)
                {
                    if (item.Failure is { } failure)
                    {
                        outcome.Failure = failure;
                        Log.ProviderFailed(logger, route.Name, failure.Code, call.RequestId);
                        if (!outcome.SentAny && Failover.MayTryNext(failure))
                        {
                            break;
                        }

                        outcome.Ended = true;
                        yield return item;
                        yield break;
                    }

                    outcome.ServedBy = route.Name;
                    if (!call.ClientWantsUsage && UsageReader.IsUsageOnlyChunk(item.Data!))
                    {
                        // Asked for by the gateway, for settlement; this client did not ask for it.
                        outcome.Usage = UsageReader.Read(item.Data!);
                        continue;
                    }

                    foreach (var chunk in FilterChunk(filter, item.Data!, outcome))
                    {
                        outcome.SentAny = true;
                        yield return chunk;
                    }

                    if (filter.IsBlocked || outcome.Failure is not null)
                    {
                        outcome.Ended = true;
                        yield break;
                    }
                }

                if (outcome.Failure is null)
                {
                    foreach (var chunk in FilterRest(filter, outcome))
                    {
                        yield return chunk;
                    }

                    outcome.Ended = true;
                    yield break;
                }
            }

            outcome.Ended = true;
            if (outcome.Failure is not null)
            {
                yield return new StreamEvent(null, outcome.Failure);
            }
        }
        finally
        {
            ReportAfterReply(call, outcome, afterReport);
        }
    }

    /// <summary>Response-side DLP of a whole answer; a scan that cannot finish withholds the answer.</summary>
    private async Task<ProviderReply> FilterAnswerAsync(ProviderCall call, byte[] body, CallOutcome outcome)
    {
        try
        {
            var (filtered, verdict) = ResponseDlp.Apply(body, await scanners.GetAsync(call.DlpOverrides));
            outcome.Dlp = verdict;
            outcome.AnswerOverride = AnswerText.FromCompletion(body);
            return new ProviderReply(filtered, null);
        }
        catch (Exception e) when (e is DlpScanException or System.Text.Json.JsonException)
        {
            return new ProviderReply(null, DlpFailures.ScanFailed);
        }
    }

    /// <summary>One upstream chunk through response-side DLP: what may be sent now.</summary>
    private static IEnumerable<StreamEvent> FilterChunk(StreamingResponseFilter filter, byte[] data, CallOutcome outcome)
    {
        outcome.Answer.AddChunk(data);
        if (UsageReader.MayCarryUsage(data))
        {
            outcome.Usage = UsageReader.Read(data);
        }

        IReadOnlyList<byte[]> chunks;
        try
        {
            chunks = filter.Filter(data);
        }
        catch (Exception e) when (e is DlpScanException or System.Text.Json.JsonException)
        {
            outcome.Failure = DlpFailures.ScanFailed;
            return [new StreamEvent(null, DlpFailures.ScanFailed)];
        }

        outcome.Dlp = filter.Verdict;
        return chunks.Select(c => new StreamEvent(c, null));
    }

    /// <summary>What the filter still held back when the upstream stream ended.</summary>
    private static IEnumerable<StreamEvent> FilterRest(StreamingResponseFilter filter, CallOutcome outcome)
    {
        try
        {
            var rest = filter.Complete();
            outcome.Dlp = filter.Verdict;
            return rest.Select(c => new StreamEvent(c, null));
        }
        catch (DlpScanException)
        {
            outcome.Failure = DlpFailures.ScanFailed;
            return [new StreamEvent(null, DlpFailures.ScanFailed)];
        }
    }

    /// <summary>
    /// Reports the outcome once this turn has handed the answer back: the completion event is
    /// written when the answer has been delivered, and its commit never delays the client. The
    /// activation stays until the report is done.
    /// </summary>
    private void ReportAfterReply(ProviderCall call, CallOutcome outcome, Action? afterReport)
    {
        _ = ReportThenDeactivateAsync();

        async Task ReportThenDeactivateAsync()
        {
            await Task.Yield();
            try
            {
                await ReportAsync(call, outcome);
            }
            catch (Exception e)
            {
                Log.ReportFailed(logger, call.RequestId, e);
            }
            finally
            {
                afterReport?.Invoke();
            }
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
            await grainFactory.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
            return null;
        }
        catch (AuditUnavailableException)
        {
            Log.AuditUnavailable(logger, call.RequestId, auditOptions.FailOpen);
            return auditOptions.FailOpen ? null : new ProviderFailure(AuditFailures.Unavailable, "The audit log is unavailable, so the request was not forwarded.");
        }
    }

    private async Task ReportAsync(ProviderCall call, CallOutcome outcome, bool recordCompletion = true)
    {
        var completion = new RequestCompletion(call.RequestId, outcome.Succeeded, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, outcome.ServedBy, outcome.Failure?.Code);
        await grainFactory.GetGrain<IApiKeyGrain>(call.KeyId).Complete(completion);
        if (!recordCompletion)
        {
            return;
        }

        SignalAnswerDlp(call, outcome.Dlp);
        var provider = outcome.ServedBy ?? call.Provider;
        var answer = outcome.AnswerOverride ?? outcome.Answer.ToString();
        var record = AuditRecord.Create(AuditEventKind.Completion, outcome.AuditOutcome, timeProvider.GetUtcNow()) with
        {
            RequestId = call.RequestId,
            KeyId = call.KeyId,
            TeamId = call.TeamId,
            Model = call.Model,
            Provider = provider,
            ProviderLocation = catalog.Find(provider)?.Location,
            HttpStatus = outcome.HttpStatus,
            ResponseSha256 = answer is null ? null : digester.Response(answer),
            PromptTokens = outcome.Usage.PromptTokens,
            CompletionTokens = outcome.Usage.CompletionTokens,
            LatencyMs = (long)timeProvider.GetElapsedTime(outcome.StartedAt).TotalMilliseconds,
        };
        try
        {
            await grainFactory.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(Synapse.Keys.AdmissionAudit.WithDlp(record, outcome.Dlp));
        }
        catch (AuditUnavailableException)
        {
            // The answer has already gone out; the request event is durable, so the log shows a
            // request without its completion rather than nothing.
            Log.AuditUnavailable(logger, call.RequestId, auditOptions.FailOpen);
        }
    }

    /// <summary>Response-side DLP blocks and alerts count for the key's anomaly detection too.</summary>
    private void SignalAnswerDlp(ProviderCall call, DlpVerdict verdict)
    {
        var activity = grainFactory.GetGrain<IKeyActivityGrain>(call.KeyId);
        var now = timeProvider.GetUtcNow();
        if (verdict.IsBlocked)
        {
            _ = activity.Record(new ActivitySignal(call.RequestId, call.KeyId, call.TeamId, now, ActivityKind.DlpBlock) { Categories = verdict.BlockedCategories });
        }

        if (verdict.AlertedCategories.Count > 0)
        {
            _ = activity.Record(new ActivitySignal(call.RequestId, call.KeyId, call.TeamId, now, ActivityKind.DlpAlert) { Categories = verdict.AlertedCategories });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Provider {Provider} failed with {Code} for request {RequestId}")]
        public static partial void ProviderFailed(ILogger logger, string provider, string code, string requestId);

        [LoggerMessage(3, LogLevel.Error, "Reporting the outcome of request {RequestId} failed")]
        public static partial void ReportFailed(ILogger logger, string requestId, Exception exception);

        [LoggerMessage(2, LogLevel.Error, "The audit log could not record an event of request {RequestId} (fail-open: {FailOpen})")]
        public static partial void AuditUnavailable(ILogger logger, string requestId, bool failOpen);
    }
}
