using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>A client-mode front end must be given the admin token: checked at start, one line naming the key.</summary>
internal sealed class AdminTokenRequired : IValidateOptions<AdminSecurityOptions>
{
    public const string Message = $"Set {AdminCredential.ConfigurationKey} (env Synapse__Admin__Token): a front end in client mode never generates its own admin token.";

    public ValidateOptionsResult Validate(string? name, AdminSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Token is { Length: > 0 } ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Message);
    }
}
