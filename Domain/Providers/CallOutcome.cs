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

    public TokenUsage Usage { get; set; }

    public AnswerText Answer { get; } = new();

    public string? AnswerOverride { get; set; }

    public DlpVerdict Dlp { get; set; } = DlpVerdict.Clean;

    /// <summary>Set once the request event is durable and the call went to the providers.</summary>
    public bool Forwarded { get; set; }

    /// <summary>Set once the call has run to its end; unset when the client went away first.</summary>
    public bool Ended { get; set; }

    /// <summary>True once any chunk has gone to the client: the stream can no longer fail over.</summary>
    public bool SentAny { get; set; }

    /// <summary>Set when the process's shutdown cut the call off (<c>ShutdownCutOff</c>); <see cref="Failure"/> says so to the client.</summary>
    public bool Interrupted { get; private set; }

    public bool Succeeded => Ended && Failure is null && !Dlp.IsBlocked;

    public string AuditOutcome => Interrupted ? AuditOutcomes.ShutdownInterrupted
        : !Ended ? AuditOutcomes.ClientCancelled
        : Dlp.IsBlocked ? AuditOutcomes.ResponseFiltered
        : Failure is null ? AuditOutcomes.Completed
        : SentAny ? AuditOutcomes.StreamBroken
        : AuditOutcomes.UpstreamError;

    /// <summary>
    /// Ends the call as cut off by the shutdown, with <paramref name="failure"/> for the client. The
    /// provider's usage comes at the end of a stream, so the tokens so far are counted here: the
    /// prompt as estimated at admission, unless the provider said; the answer's text so far.
    /// </summary>
    public void Interrupt(ProviderFailure failure, int? estimatedPromptTokens, Func<string, int> countTokens)
    {
        ArgumentNullException.ThrowIfNull(countTokens);
        Interrupted = true;
        Failure = failure;
        Usage = new TokenUsage(
            Usage.PromptTokens > 0 ? Usage.PromptTokens : estimatedPromptTokens ?? 0,
            Usage.CompletionTokens > 0 ? Usage.CompletionTokens : Answer.ToString() is { } text ? countTokens(text) : 0);
    }

    /// <summary>What the client was answered: a provider's own refusal keeps its class (400, 413, 429).</summary>
    public int HttpStatus => Failure is null || SentAny ? 200 : Failure.Status ?? 502;
}
