using System.ComponentModel.DataAnnotations;

namespace Synapse.Hosting.Drain;

/// <summary>How a process stops, bound from <c>Synapse:Shutdown</c> (<see cref="ShutdownServiceCollectionExtensions"/>).</summary>
public sealed class ShutdownOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Shutdown";

    /// <summary>The longest drain delay: five minutes of answering 503 on readiness is far past any load balancer's polling.</summary>
    public const int MaxDrainDelaySeconds = 300;

    /// <summary>
    /// How long a stopping process (SIGTERM) may take: a front end finishes the requests it is
    /// serving, streams included; a silo finishes the calls its key grains hold, so their clients
    /// get their answers and their completions are audited. Whatever is still running then is cut
    /// off. Keep an orchestrator's grace period (compose's <c>stop_grace_period</c>) above it plus
    /// <see cref="DrainDelaySeconds"/>.
    /// </summary>
    public int GracePeriodSeconds { get; set; } = 25;

    /// <summary>
    /// The part of the grace period a process keeps for itself after the requests it serves: the
    /// streams still running when it begins are cut off (<see cref="CutOffAfter"/>: each ends with
    /// an error event and its completion is audited as interrupted), then a silo announces its
    /// departure, deactivates its grains and flushes the audit writer.
    /// </summary>
    public int SiloStopReserveSeconds { get; set; } = 5;

    /// <summary>
    /// How long a stopping process keeps listening and serving as usual, <c>/healthz/ready</c>
    /// answering 503 <c>draining</c> meanwhile, before it stops taking connections and starts the
    /// grace period (<see cref="DrainDelayLifecycle"/>): the time a load balancer needs to see the
    /// 503 and route elsewhere, which a process that closes its listener at once never gives it
    /// (what the balancer sends meanwhile finds the port closed). 0 by default: the all-in-one
    /// gateway usually has no balancer in front, a silo's clients learn of its leaving from the
    /// cluster, and a stop should not wait for no one. Front ends behind a balancer set a few
    /// seconds above its polling interval (the compose file sets 5).
    /// </summary>
    public int DrainDelaySeconds { get; set; }

    public TimeSpan GracePeriod => TimeSpan.FromSeconds(GracePeriodSeconds);

    /// <inheritdoc cref="DrainDelaySeconds"/>
    public TimeSpan DrainDelay => TimeSpan.FromSeconds(DrainDelaySeconds);

    /// <summary>
    /// The host's whole stop: the drain delay, then the grace period. The delay runs inside the
    /// host's stop (<see cref="DrainDelayLifecycle"/>), under its timeout, so it is added to the
    /// grace period rather than taken from it.
    /// </summary>
    public TimeSpan ShutdownTimeout => DrainDelay + GracePeriod;

    /// <summary>
    /// When, counted from the start of the host's stop (as its <see cref="ShutdownTimeout"/> is),
    /// the answers still streaming are cut off: the drain delay and the grace period, less
    /// <see cref="SiloStopReserveSeconds"/>.
    /// </summary>
    public TimeSpan CutOffAfter => ShutdownTimeout - TimeSpan.FromSeconds(SiloStopReserveSeconds);

    /// <summary>How long a silo that cut its streams off waits for their completions to be written: half its reserve.</summary>
    public TimeSpan CutOffSettleTime => TimeSpan.FromSeconds(SiloStopReserveSeconds / 2.0);

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

        if (DrainDelaySeconds is < 0 or > MaxDrainDelaySeconds)
        {
            yield return new ValidationResult($"must be between 0 and {MaxDrainDelaySeconds}.", [nameof(DrainDelaySeconds)]);
        }
    }
}
