using System.Threading.Channels;
using Synapse.Audit;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers;
using Synapse.RateLimiting;
using Synapse.Routing;
using Synapse.Telemetry;
using Synapse.Translation;

namespace Synapse.Requests;

/// <summary>
/// Runs one admitted call, top to bottom: its <c>request</c> event made durable before any
/// provider sees the body, the providers along its route (<see cref="FailoverCaller"/>), the
/// answer through response-side DLP (<see cref="AnswerFilter"/>). What happened is collected in a
/// <see cref="CallOutcome"/> for the key's settlement and the <c>completion</c> event. The key
/// grain runs this outside its turn.
/// </summary>
public sealed class ProviderCallRunner(
    FailoverCaller failover,
    RequestAuditWriter audit,
    RequestAuditEvents events,
    AuditDigester digester,
    ProviderCatalog catalog,
    DlpScannerCache scanners,
    ShutdownCutOff cutOff,
    TimeProvider timeProvider)
{
    /// <param name="takenAt">When the key grain took the request (a <see cref="TimeProvider"/> timestamp).</param>
    public async Task<(ProviderReply Reply, CallOutcome Outcome)> SendAsync(ProviderCall call, AuditRecord requestEvent, long takenAt)
    {
        ArgumentNullException.ThrowIfNull(call);
        var outcome = new CallOutcome(new CallTimings(timeProvider, takenAt));
        if (!await audit.TryRecordAsync(requestEvent))
        {
            return (new ProviderReply(null, AuditUnavailable), outcome);
        }

        outcome.Forwarded = true;

        var calling = timeProvider.GetTimestamp();
        outcome.Timings.UpstreamStarted();
        var (reply, servedBy) = await failover.SendAsync(call);
        outcome.Timings.UpstreamEnded();
        reply = reply with { Failure = await ForClientAsync(call, reply.Failure) };
        outcome.ServedBy = servedBy;
        if (reply.Body is { } body)
        {
            outcome.Usage = UsageReader.Read(body);
            reply = call.Operation == RequestOperation.ChatCompletions
                ? new AnswerFilter(await scanners.GetAsync(call.DlpOverrides), outcome).Whole(body)
                : AnswerFilter.Embeddings(body, call.Model, call.ClientWantsBase64);
        }

        outcome.Failure = reply.Failure;
        outcome.Ended = true;
        outcome.EstimateUnreportedUsage(requestEvent.PromptTokens ?? 0);
        outcome.Timings.Answered();
        Measure(call, outcome, calling);
        return (reply, outcome);
    }

    /// <summary>
    /// Streams the filtered answer into <paramref name="output"/> (completed when the call ends)
    /// and returns what happened; the first event written carries <paramref name="verdict"/>, with
    /// the fields the answering provider was not sent. Cancelling stops the provider call; the
    /// outcome then says the client went away. The process's shutdown cut-off
    /// (<see cref="ShutdownCutOff"/>) stops it too: the stream then ends with its failure event,
    /// as when the upstream breaks, and the outcome says it was interrupted.
    /// </summary>
    /// <param name="takenAt">When the key grain took the request (a <see cref="TimeProvider"/> timestamp).</param>
    public async Task<CallOutcome> StreamAsync(ProviderCall call, AuditRecord requestEvent, long takenAt, Admission verdict, ChannelWriter<StreamEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(output);
        var outcome = new CallOutcome(new CallTimings(timeProvider, takenAt));
        output = new VerdictOnFirstEvent(output, () => verdict with { DroppedFields = call.DroppedFieldsFor(outcome.ServedBy) });
        long? calling = null;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cutOff.Token);
        cancellationToken = stopping.Token;
        try
        {
            if (!await audit.TryRecordAsync(requestEvent))
            {
                outcome.Failure = AuditUnavailable;
                await output.WriteAsync(new StreamEvent(null, AuditUnavailable), cancellationToken);
                return outcome;
            }

            outcome.Forwarded = true;

            var filter = new AnswerFilter(await scanners.GetAsync(call.DlpOverrides), outcome) { RelaysUsage = call.ClientWantsUsage };
            calling = timeProvider.GetTimestamp();
            outcome.Timings.UpstreamStarted();
            await foreach (var (item, provider) in failover.StreamAsync(call, cancellationToken))
            {
                // The upstream's part ends with the last piece it sent; what the gateway does with
                // each piece overlaps the upstream producing the next one.
                outcome.Timings.UpstreamEnded();
                if (await ForClientAsync(call, item.Failure) is { } failure)
                {
                    outcome.Failure = failure;
                    outcome.Ended = true;
                    await output.WriteAsync(item with { Failure = failure }, cancellationToken);
                    return outcome;
                }

                if (outcome.ServedBy is null)
                {
                    GatewayMetrics.FirstChunk(Tags(call, provider), timeProvider.GetElapsedTime(calling.Value));
                }

                outcome.ServedBy = provider;
                if (!call.ClientWantsUsage && UsageReader.IsUsageOnlyChunk(item.Data!))
                {
                    // Asked for by the gateway, for settlement; this client did not ask for it.
                    outcome.Usage = UsageReader.Read(item.Data!);
                    continue;
                }

                if (await SendAllAsync(filter.Chunk(item.Data!), output, outcome, cancellationToken) || filter.IsBlocked)
                {
                    outcome.Ended = true;
                    return outcome;
                }
            }

            outcome.Timings.UpstreamEnded();
            await SendAllAsync(filter.Rest(), output, outcome, cancellationToken);
            outcome.Ended = true;
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (cutOff.IsCut && outcome.Forwarded)
            {
                // The client may still be reading (the front end is not the one stopping): it
                // gets the error event in place of the rest. A full buffer means it reads no more.
                outcome.Interrupt(ShutdownCutOff.Failure);
                output.TryWrite(new StreamEvent(null, ShutdownCutOff.Failure));
            }

            return outcome;
        }
        finally
        {
            output.TryComplete();

            // However the stream ended, before its settlement and metrics read the usage.
            outcome.EstimateUnreportedUsage(requestEvent.PromptTokens ?? 0);
            if (calling is { } started)
            {
                outcome.Timings.Answered();
                Measure(call, outcome, started);
            }
        }
    }

    /// <summary>
    /// Records how a forwarded call ended, once its answer has gone out: the completion's commit
    /// never delays the client. A call that was never forwarded has no completion.
    /// </summary>
    public async Task RecordCompletionAsync(AdmissionRequest request, KeyInfo key, ProviderCall call, CallOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Forwarded)
        {
            return;
        }

        var answer = outcome.Answer.ToString();
        var location = catalog.Find(outcome.ServedBy ?? call.Provider)?.Location;
        await audit.RecordAfterAnswerAsync(events.Completion(request, key, call, outcome, location, answer is null ? null : digester.Response(answer)));
    }

    /// <summary>The call's GenAI metrics: its duration, failover included, and the usage the provider reported.</summary>
    private void Measure(ProviderCall call, CallOutcome outcome, long calling)
    {
        var error = outcome.Failure?.Code ?? (outcome.Ended ? null : "client_cancelled");
        GatewayMetrics.ProviderCallEnded(Tags(call, outcome.ServedBy ?? call.Provider), timeProvider.GetElapsedTime(calling), outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, error);
    }

    private ProviderCallTags Tags(ProviderCall call, string provider) => ProviderCallTags.Of(call with { Provider = provider }, catalog.Find(provider));

    private static ProviderFailure AuditUnavailable { get; } =
        new(AuditFailures.Unavailable, "The audit log is unavailable, so the request was not forwarded.");

    /// <summary>Sends events in order; true when one of them was a failure that ends the stream.</summary>
    private static async Task<bool> SendAllAsync(IReadOnlyList<StreamEvent> events, ChannelWriter<StreamEvent> output, CallOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var item in events)
        {
            await output.WriteAsync(item, cancellationToken);
            if (item.Failure is not null)
            {
                return true;
            }

            outcome.SentAny = true;
        }

        return false;
    }

    /// <summary>
    /// A failure as the client reads it: the model it asked for and what went wrong, never which
    /// provider (the failures name none: <see cref="UpstreamFailures"/>; the audit row and
    /// <see cref="FailoverCaller"/>'s log line keep it for the operator); its <c>param</c> as the
    /// client's field (<see cref="ClientRequestTranslator.ClientParam"/>), and what it repeats of the
    /// provider's error read by DLP (<see cref="ProviderFailureDlp"/>). A request the provider's
    /// protocol cannot express keeps the gateway's words about the field alone.
    /// </summary>
    private async Task<ProviderFailure?> ForClientAsync(ProviderCall call, ProviderFailure? failure)
    {
        if (failure is null)
        {
            return null;
        }

        if (failure.Code != UpstreamFailures.InvalidRequest)
        {
            failure = failure with { Message = $"The request to the model '{call.Model}' failed. {failure.Message}" };
        }

        if (failure.Param is { } param)
        {
            failure = failure with { Param = ClientRequestTranslator.ClientParam(call.Api, param) };
        }

        return ProviderFailureDlp.Apply(failure, await scanners.GetAsync(call.DlpOverrides));
    }
}
