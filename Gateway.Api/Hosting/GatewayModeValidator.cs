using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Hosting;

/// <summary><c>Synapse:Mode</c> must name a mode (<see cref="GatewayModes"/>), in any case.</summary>
internal sealed class GatewayModeValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GatewayModes.Normalize(options.Mode) is GatewayModes.AllInOne or GatewayModes.Client
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.Mode)} must be '{GatewayModes.AllInOne}' or '{GatewayModes.Client}', not '{options.Mode}'.");
    }
}
