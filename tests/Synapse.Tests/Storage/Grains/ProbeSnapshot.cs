namespace Synapse.Tests.Storage.Grains;

/// <summary>What <see cref="IStateProbeGrain"/> reports about its persisted state.</summary>
[GenerateSerializer, Immutable, Alias("synapse.tests.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] string Text,
    [property: Id(1)] int Count,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] string? ETag);
