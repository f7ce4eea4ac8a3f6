using Microsoft.Extensions.Options;
using Synapse.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Checks <see cref="AuditOptions"/> when the host starts: the ranges (<see cref="AuditOptions.Validate"/>),
/// in a cluster that a shared checkpoint directory is configured, and that the keys can be read
/// (or, all-in-one, generated: <see cref="AuditKeyLoader.Problem"/>). Each failure is one line
/// naming the key, never a key's value.
/// </summary>
internal sealed class AuditOptionsStartupCheck(string dataDirectory, bool clustered, bool allowGenerate) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problem = options.Validate()
            ?? AuditKeyLoader.Problem(options, dataDirectory, allowGenerate, clustered)
            ?? (clustered && options.CheckpointDirectory is not { Length: > 0 } ? AuditServiceCollectionExtensions.CheckpointDirectoryRequired : null);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
