using Microsoft.Extensions.Options;
using Synapse.Configuration;

namespace Synapse.Hosting.Tls;

/// <summary>
/// Checks at start that the configured certificate (with its key) and CA can be read, so a wrong
/// path or password stops the start with one line naming the setting, never the password.
/// </summary>
internal sealed class OrleansTlsOptionsValidator : IValidateOptions<OrleansTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            OrleansCertificates.LoadOwn(options).Dispose();
            OrleansCertificates.LoadAuthority(options)?.Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (StartupConfigurationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
