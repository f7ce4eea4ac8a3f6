using Microsoft.Extensions.Options;

namespace Synapse.Gateway.OpenAi;

/// <summary>Checks <see cref="RequestBodyOptions"/> at start; each message names the setting.</summary>
internal sealed class RequestBodyOptionsValidator : IValidateOptions<RequestBodyOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestBodyOptions options)
    {
        var section = RequestBodyOptions.SectionName;
        var errors = new List<string>();
        if (options.TimeoutSeconds is < 1 or > 3_600)
        {
            errors.Add($"{section}:TimeoutSeconds must be between 1 and 3600.");
        }

        if (options.MinBytesPerSecond < 0)
        {
            errors.Add($"{section}:MinBytesPerSecond must be 0 (no minimum) or more.");
        }

        // Kestrel checks rates once a second and refuses a grace period of a second or less.
        if (options.MinRateGraceSeconds is < 2 or > 3_600)
        {
            errors.Add($"{section}:MinRateGraceSeconds must be between 2 and 3600.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
