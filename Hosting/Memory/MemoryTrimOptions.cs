using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting.Memory;

/// <summary>When a process gives memory it no longer uses back to the system, bound from <c>Synapse:Memory</c>.</summary>
public sealed class MemoryTrimOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Memory";

    /// <summary>
    /// How often the process looks whether it has gone quiet: when a whole interval passed without
    /// a garbage collection after one that had some (a burst of traffic ended), it runs one
    /// compacting collection that returns the freed memory to the system (≈ 10–15 ms, once per
    /// quiet spell). The start-up's garbage goes the same way a few seconds after start. Zero
    /// turns both off.
    /// </summary>
    public TimeSpan IdleTrimInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdleTrimInterval < TimeSpan.Zero)
        {
            yield return new ValidationResult("must be zero (off) or a positive time span (e.g. 00:00:30).", [nameof(IdleTrimInterval)]);
        }
    }
}
