namespace Synapse.Tests.Storage.Grains;

/// <summary>A grain whose only job is to exercise grain storage through Orleans.</summary>
[Alias("synapse.tests.IStateProbeGrain")]
public interface IStateProbeGrain : IGrainWithStringKey
{
    [Alias("Set")]
    Task<ProbeSnapshot> SetAsync(string text, int count);

    [Alias("Get")]
    Task<ProbeSnapshot> GetAsync();

    /// <summary>Re-reads the state from storage, as a new activation would.</summary>
    [Alias("Reload")]
    Task<ProbeSnapshot> ReloadAsync();

    [Alias("Clear")]
    Task<ProbeSnapshot> ClearAsync();

    [Alias("Silo")]
    Task<string> GetSiloAsync();
}
