namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>
/// One thing that happened to a key's request, sent to <see cref="IKeyActivityGrain"/>. It carries
/// counts and DLP category names only: never prompt, response or matched text.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.ActivitySignal")]
public sealed record ActivitySignal(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string? TeamId,
    [property: Id(3)] DateTimeOffset Time,
    [property: Id(4)] ActivityKind Kind)
{
    /// <summary><see cref="ActivityKind.Request"/>: estimated tokens; <see cref="ActivityKind.TokensSettled"/>: actual tokens.</summary>
    [Id(5)]
    public int Tokens { get; init; }

    /// <summary>DLP category names (e.g. <c>credit_card</c>) for <see cref="ActivityKind.DlpBlock"/> and <see cref="ActivityKind.DlpAlert"/>.</summary>
    [Id(6)]
    public IReadOnlyList<string> Categories { get; init; } = [];
}
