using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting.Memory;

/// <summary>When a process gives memory it no longer uses back to the system, bound from <c>Synapse:Memory</c>.</summary>
public sealed class MemoryTrimOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Memory";

    /// <summary>
    /// How long the process must go without a garbage collection, after one, before it runs one
    /// compacting collection that returns the memory the burst made the GC keep to the system
    /// (≈ 10–15 ms, once per quiet spell). The start-up's garbage goes the same way 5 s after
    /// start. Zero turns both off.
    /// </summary>
    public TimeSpan TrimAfterQuiet { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrimAfterQuiet < TimeSpan.Zero)
        {
            yield return new ValidationResult("must be zero (off) or a positive time span (e.g. 00:00:30).", [nameof(TrimAfterQuiet)]);
        }
    }
}
