using Microsoft.Extensions.Options;
using Synapse.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Checks <see cref="AuditOptions"/> when the host starts: the ranges (<see cref="AuditOptions.Validate"/>)
/// and, in a cluster, that a shared checkpoint directory is configured. Each failure is one line
/// naming the key.
/// </summary>
internal sealed class AuditOptionsStartupCheck(bool clustered) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (options.Validate() is { } invalid)
        {
            return ValidateOptionsResult.Fail(invalid);
        }

        return clustered && options.CheckpointDirectory is not { Length: > 0 }
            ? ValidateOptionsResult.Fail(AuditServiceCollectionExtensions.CheckpointDirectoryRequired)
            : ValidateOptionsResult.Success;
    }
}
