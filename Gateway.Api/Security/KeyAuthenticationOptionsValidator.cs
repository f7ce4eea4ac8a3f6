using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>Checks <see cref="KeyAuthenticationOptions"/> at start; each message names the setting.</summary>
internal sealed class KeyAuthenticationOptionsValidator : IValidateOptions<KeyAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyAuthenticationOptions options)
    {
        var section = KeyAuthenticationOptions.SectionName;
        var errors = new List<string>();
        if (options.FailureLimit < 0)
        {
            errors.Add($"{section}:FailureLimit must be 0 (no throttle) or more.");
        }

        if (options.FailureWindowSeconds is < 1 or > 86_400)
        {
            errors.Add($"{section}:FailureWindowSeconds must be between 1 and 86400.");
        }

        if (options.AuditWindowSeconds is < 1 or > 3_600)
        {
            errors.Add($"{section}:AuditWindowSeconds must be between 1 and 3600.");
        }

        if (options.MaxTrackedAddresses is < 1 or > 1_000_000)
        {
            errors.Add($"{section}:MaxTrackedAddresses must be between 1 and 1000000.");
        }

        if (options.CacheEntries is < 1 or > 10_000_000)
        {
            errors.Add($"{section}:CacheEntries must be between 1 and 10000000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
