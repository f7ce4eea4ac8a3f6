using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting.Drain;

/// <summary>How a process stops, bound from <c>Synapse:Shutdown</c> (<see cref="ShutdownServiceCollectionExtensions"/>).</summary>
public sealed class ShutdownOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Shutdown";

    /// <summary>
    /// How long a stopping process (SIGTERM) may take: a front end finishes the requests it is
    /// serving, streams included; a silo finishes the calls its key grains hold, so their clients
    /// get their answers and their completions are audited. Whatever is still running then is cut
    /// off. Keep an orchestrator's grace period (compose's <c>stop_grace_period</c>) above it.
    /// </summary>
    public int GracePeriodSeconds { get; set; } = 25;

    /// <summary>
    /// The part of the grace period a silo keeps for itself after its calls: announcing its
    /// departure, deactivating its grains, flushing the audit writer.
    /// </summary>
    public int SiloStopReserveSeconds { get; set; } = 5;

    public TimeSpan GracePeriod => TimeSpan.FromSeconds(GracePeriodSeconds);

    /// <summary>How long a silo waits for the calls it holds.</summary>
    public TimeSpan SiloDrainTimeout => TimeSpan.FromSeconds(Math.Max(1, GracePeriodSeconds - SiloStopReserveSeconds));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (GracePeriodSeconds < 1)
        {
            yield return new ValidationResult("must be at least 1.", [nameof(GracePeriodSeconds)]);
        }
        else if (SiloStopReserveSeconds < 1 || SiloStopReserveSeconds >= GracePeriodSeconds)
        {
            yield return new ValidationResult("must be at least 1 and below GracePeriodSeconds.", [nameof(SiloStopReserveSeconds)]);
        }
    }
}
