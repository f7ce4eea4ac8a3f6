using Microsoft.Extensions.Options;

namespace Synapse.Alerts;

/// <summary>Runs <see cref="AlertOptionsValidator"/> when the host starts, so a bad alert setting stops it with lines naming each key.</summary>
internal sealed class AlertOptionsStartupCheck : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options) =>
        AlertOptionsValidator.Validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
