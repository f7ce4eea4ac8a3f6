namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>One key's totals for one closed minute (<see cref="MinuteStart"/> is on a whole UTC minute).</summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyMinute")]
public sealed record KeyMinute(
    [property: Id(0)] string KeyId,
    [property: Id(1)] DateTimeOffset MinuteStart,
    [property: Id(2)] long Requests,
    [property: Id(3)] long Tokens);
