using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Requests;

/// <summary>
/// The error code a refusal is answered with (OpenAI's <c>error.code</c>) — one table for the
/// answer (<c>AdmissionErrors</c>) and for the rejection's audit row, which records it so that an
/// auditor can tell refusals of one outcome apart (a malformed body from a refused
/// <c>previous_response_id</c>, an expired key from an unknown one).
/// </summary>
public static class RefusalCodes
{
    public const string InvalidRequest = "invalid_request_error";

    public static string Of(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.InvalidKey => "invalid_api_key",
        AdmissionOutcome.KeyExpired => "key_expired",
        AdmissionOutcome.ModelNotAllowed => "model_not_allowed",
        AdmissionOutcome.ModelNotFound => "model_not_found",
        AdmissionOutcome.NoRoute => "no_route",
        AdmissionOutcome.InvalidRequest => InvalidRequest,
        AdmissionOutcome.DlpBlocked => "dlp_blocked",
        AdmissionOutcome.DlpFailed => "dlp_scan_failed",
        AdmissionOutcome.NoOnPremRoute => "no_on_prem_route",
        AdmissionOutcome.RateLimited => "rate_limit_exceeded",
        _ => "internal_error",
    };
}
