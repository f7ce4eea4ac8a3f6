namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>
/// The moving baseline of one key or team: what the spike detector (<c>Synapse.Alerts.Detection.SpikeDetector</c>)
/// keeps between minutes, and what the activity grains persist now and then (so a restart does not
/// start from nothing). Grain state, so it lives with the contracts: the domain library has no
/// Orleans dependency (the storage writes it as JSON, so moving it changes nothing stored).
/// </summary>
[GenerateSerializer, Alias("synapse.SpikeBaseline")]
public sealed class SpikeBaseline
{
    /// <summary>The EWMA of requests per minute.</summary>
    [Id(0)]
    public double Requests { get; set; }

    /// <summary>The EWMA of tokens per minute.</summary>
    [Id(1)]
    public double Tokens { get; set; }

    /// <summary>Closed minutes seen so far (idle minutes included).</summary>
    [Id(2)]
    public int ObservedMinutes { get; set; }

    [Id(3)]
    public DateTimeOffset? LastClosedMinute { get; set; }

    [Id(4)]
    public DateTimeOffset? LastRequestsAlert { get; set; }

    [Id(5)]
    public DateTimeOffset? LastTokensAlert { get; set; }
}
