using Synapse.Dlp;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Providers;

/// <summary>What became of one provider call, collected as it runs, for its key grain and its audit event.</summary>
public sealed class CallOutcome(CallTimings timings)
{
    /// <summary>Where the request's time went: the providers' part and the gateway's.</summary>
    public CallTimings Timings { get; } = timings;

    public string? ServedBy { get; set; }

    public ProviderFailure? Failure { get; set; }

    /// <summary>The provider's reported usage; an estimate once <see cref="UsageEstimated"/> is set.</summary>
    public TokenUsage Usage { get; set; }

    /// <summary>
    /// Set when the provider reported no usage and <see cref="Usage"/> is the gateway's estimate
    /// (<see cref="EstimateUnreportedUsage"/>); the completion's audit row says so.
    /// </summary>
    public bool UsageEstimated { get; private set; }

    /// <summary>What the provider sent: the answer's content (its digest is audited) and the rest it generated.</summary>
    public AnswerText Answer { get; } = new();

    public DlpVerdict Dlp { get; set; } = DlpVerdict.Clean;

    /// <summary>Set once the request event is durable and the call went to the providers.</summary>
    public bool Forwarded { get; set; }

    /// <summary>Set once the call has run to its end; unset when the client went away first.</summary>
    public bool Ended { get; set; }

    /// <summary>True once any chunk has gone to the client: the stream can no longer fail over.</summary>
    public bool SentAny { get; set; }

    /// <summary>Set when the process's shutdown cut the call off (<c>ShutdownCutOff</c>); <see cref="Failure"/> says so to the client.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>
    /// A forwarded call that ended without the provider's usage — the client left, the stream broke
    /// or timed out, response DLP stopped it, the provider never reports usage — is charged for what
    /// it consumed as far as the gateway can see: <paramref name="promptTokens"/> (the admission's
    /// estimate) and the tokens of the text the provider sent, counted once here, off the key's turn.
    /// The text received from the provider, not the text released to the client: the provider bills
    /// what it generated, including what the hold-back window or a block kept from the client.
    /// </summary>
    public void EstimateUnreportedUsage(int promptTokens)
    {
        if (!Forwarded || Usage != default || UsageEstimated)
        {
            return;
        }

        Usage = new TokenUsage(promptTokens, Answer.CountTokens());
        UsageEstimated = true;
    }

    public bool Succeeded => Ended && Failure is null && !Dlp.IsBlocked;

    public string AuditOutcome => Interrupted ? AuditOutcomes.ShutdownInterrupted
        : !Ended ? AuditOutcomes.ClientCancelled
        : Dlp.IsBlocked ? AuditOutcomes.ResponseFiltered
        : Failure is null ? AuditOutcomes.Completed
        : SentAny ? AuditOutcomes.StreamBroken
        : AuditOutcomes.UpstreamError;

    /// <summary>
    /// Ends the call as cut off by the shutdown, with <paramref name="failure"/> for the client. The
    /// provider's usage comes at the end of a stream, so the call is charged like any other that
    /// ended without it (<see cref="EstimateUnreportedUsage"/>).
    /// </summary>
    public void Interrupt(ProviderFailure failure)
    {
        Interrupted = true;
        Failure = failure;
    }

    /// <summary>What the client was answered: a provider's own refusal keeps its class (400, 413, 429).</summary>
    public int HttpStatus => Failure is null || SentAny ? 200 : Failure.Status ?? 502;
}
