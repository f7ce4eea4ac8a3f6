using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>Maps the key grain's refusals and provider failures to OpenAI's error shape.</summary>
internal static class AdmissionErrors
{
    public static OpenAiError From(Admission admission) => admission.Outcome switch
    {
        AdmissionOutcome.InvalidKey => OpenAiError.InvalidApiKey,
        AdmissionOutcome.ModelNotAllowed => new(StatusCodes.Status403Forbidden, admission.Message!, OpenAiError.InvalidRequestType, "model_not_allowed", admission.Param),
        AdmissionOutcome.NoRoute => new(StatusCodes.Status403Forbidden, admission.Message!, OpenAiError.InvalidRequestType, "no_route", admission.Param),
        AdmissionOutcome.InvalidRequest => OpenAiError.BadRequest(admission.Message!, admission.Param),
        AdmissionOutcome.RateLimited => new(StatusCodes.Status429TooManyRequests, admission.Message!, "requests", "rate_limit_exceeded"),
        _ => new(StatusCodes.Status500InternalServerError, "The gateway could not admit the request.", OpenAiError.ApiErrorType, "internal_error"),
    };

    public static OpenAiError From(ProviderFailure failure) =>
        new(StatusCodes.Status502BadGateway, failure.Message, OpenAiError.ApiErrorType, failure.Code);
}
