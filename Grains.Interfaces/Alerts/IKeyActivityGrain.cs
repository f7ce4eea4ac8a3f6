namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>
/// One key's recent activity (grain key: the API key id), kept in memory as per-minute buckets and
/// checked for anomalies: usage spikes, repeated DLP blocks, off-hours bursts and DLP alerts.
/// Closed minutes are forwarded to the key's <see cref="ITeamActivityGrain"/>.
/// </summary>
[Alias("synapse.IKeyActivityGrain")]
public interface IKeyActivityGrain : IGrainWithStringKey
{
    /// <summary>One-way: the caller never waits for detection or for an alert to be stored.</summary>
    [Alias("Record"), OneWay]
    Task Record(ActivitySignal signal);

    /// <summary>One-way: several signals in the order they happened (a key grain sends its signals in batches).</summary>
    [Alias("RecordAll"), OneWay]
    Task RecordAll(ActivitySignal[] signals);
}
