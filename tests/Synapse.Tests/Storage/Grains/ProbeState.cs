namespace Synapse.Tests.Storage.Grains;

/// <summary>Stored state of <see cref="StateProbeGrain"/>; serialized as System.Text.Json.</summary>
public sealed class ProbeState
{
    public string Text { get; set; } = "";

    public int Count { get; set; }

    public List<string> Tags { get; set; } = [];
}
