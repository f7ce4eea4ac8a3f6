namespace Synapse.Grains.Interfaces.Teams;

[GenerateSerializer, Immutable, Alias("synapse.TeamInfo")]
public sealed record TeamInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt);
