using Synapse.Audit;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>Maps the key grain's refusals and provider failures to OpenAI's error shape.</summary>
internal static class AdmissionErrors
{
    /// <summary>
    /// The error a key grain's reply (or a stream's first event) answers with, or null when it
    /// carries an answer: the audit log's failure first (nothing is answered unrecorded), then
    /// the refusal, then the provider's failure.
    /// </summary>
    public static OpenAiError? Refusal(Admission? verdict, ProviderFailure? failure) =>
        failure?.Code == AuditFailures.Unavailable ? RequestAudit.Unavailable
        : verdict is { Outcome: not AdmissionOutcome.Admitted } ? From(verdict)
        : failure is not null ? From(failure)
        : null;

    public static OpenAiError? Refusal(ProviderReply reply) => Refusal(reply.Verdict, reply.Failure);

    public static OpenAiError From(Admission admission) => admission.Outcome switch
    {
        AdmissionOutcome.InvalidKey => OpenAiError.InvalidApiKey,
        AdmissionOutcome.KeyExpired => new(StatusCodes.Status401Unauthorized, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome)),
        AdmissionOutcome.ModelNotAllowed => new(StatusCodes.Status403Forbidden, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome), admission.Param),
        AdmissionOutcome.ModelNotFound => new(StatusCodes.Status404NotFound, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome), admission.Param),
        AdmissionOutcome.NoRoute => new(StatusCodes.Status403Forbidden, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome), admission.Param),
        AdmissionOutcome.InvalidRequest => OpenAiError.BadRequest(admission.Message!, admission.Param),
        AdmissionOutcome.DlpBlocked => new(StatusCodes.Status400BadRequest, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome)),
        AdmissionOutcome.DlpFailed => new(StatusCodes.Status400BadRequest, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome)),
        AdmissionOutcome.NoOnPremRoute => new(StatusCodes.Status403Forbidden, admission.Message!, OpenAiError.InvalidRequestType, RefusalCodes.Of(admission.Outcome), admission.Param),
        AdmissionOutcome.RateLimited => new(StatusCodes.Status429TooManyRequests, admission.Message!, "requests", RefusalCodes.Of(admission.Outcome)),
        _ => new(StatusCodes.Status500InternalServerError, "The gateway could not admit the request.", OpenAiError.ApiErrorType, "internal_error"),
    };

    /// <summary>
    /// A request the provider's protocol cannot express is the caller's to fix (400). A provider's
    /// own refusal keeps its class — 400 invalid, 413 too long, 429 with its <c>Retry-After</c> — with
    /// the provider's error type, code and param, so SDKs do not retry what will fail again.
    /// Everything else a provider does wrong is the gateway's bad gateway (502), with a
    /// <c>Retry-After</c> when the gateway knows one (the rest of an open circuit's break).
    /// </summary>
    public static OpenAiError From(ProviderFailure failure) => failure switch
    {
        { Status: { } status } => new(status, failure.Message, failure.Type ?? OpenAiError.InvalidRequestType, failure.ProviderCode ?? failure.Code, failure.Param) { RetryAfter = failure.RetryAfter },
        { Code: UpstreamFailures.InvalidRequest } => new(StatusCodes.Status400BadRequest, failure.Message, OpenAiError.InvalidRequestType, "invalid_request_error"),
        { Code: AuditFailures.Unavailable } => RequestAudit.Unavailable,
        _ => new(StatusCodes.Status502BadGateway, failure.Message, OpenAiError.ApiErrorType, failure.Code) { RetryAfter = failure.RetryAfter },
    };
}
