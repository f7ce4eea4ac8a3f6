namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// The use case a key is approved for. It is fixed at creation: nothing in a request can change
/// it, and changing it means issuing a new key. <see cref="Dlp"/> overrides the global DLP
/// action of some categories for this key (category → action name).
/// <see cref="ClientSystemMessages"/> says what becomes of the client's own system and developer
/// messages (absent in keys stored before it existed: <see cref="Keys.ClientSystemMessages.Demote"/>).
/// <see cref="ExpiresAt"/> ends the approval: from that moment the key is refused like a revoked
/// one (null, and in keys stored before it existed: until revoked).
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyBinding")]
public sealed record KeyBinding(
    [property: Id(0)] string TeamId,
    [property: Id(1)] string Name,
    [property: Id(2)] string SystemPrompt,
    [property: Id(3)] IReadOnlyList<string> AllowedModels,
    [property: Id(4)] DataClassification Classification,
    [property: Id(5)] KeyLimits Limits,
    [property: Id(6)] IReadOnlyDictionary<string, string>? Dlp = null,
    [property: Id(7)] ClientSystemMessages ClientSystemMessages = ClientSystemMessages.Demote,
    [property: Id(8)] DateTimeOffset? ExpiresAt = null)
{
    /// <summary>Whether the approval has ended at <paramref name="now"/>.</summary>
    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt is { } end && now >= end;
}
