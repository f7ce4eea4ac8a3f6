using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

/// <summary>
/// A key as the admin API shows it. <see cref="Key"/> is set only in the answer of its creation or
/// rotation; <see cref="Expired"/> says whether its approval had ended when the view was made;
/// <see cref="PreviousKeyEndsAt"/> is when the secret its last rotation replaced stopped (or stops)
/// being taken.
/// </summary>
public sealed record KeyView(
    string Id,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Key,
    string Prefix,
    string TeamId,
    string Name,
    string SystemPrompt,
    IReadOnlyList<string> AllowedModels,
    string Classification,
    KeyLimits Limits,
    IReadOnlyDictionary<string, string>? Dlp,
    string ClientSystemMessages,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    bool Revoked,
    DateTimeOffset? ExpiresAt,
    bool Expired,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? PreviousKeyEndsAt)
{
    public static KeyView From(KeyInfo info, DateTimeOffset now, string? secret = null) => new(
        info.Id,
        secret,
        info.Prefix,
        info.Binding.TeamId,
        info.Binding.Name,
        info.Binding.SystemPrompt,
        info.Binding.AllowedModels,
        Classifications.ToWire(info.Binding.Classification),
        info.Binding.Limits,
        info.Binding.Dlp,
        ClientSystemMessagesWire.ToWire(info.Binding.ClientSystemMessages),
        info.CreatedAt,
        info.RevokedAt,
        info.RevokedAt is not null,
        info.Binding.ExpiresAt,
        info.Binding.ExpiredAt(now),
        info.RotatedAt,
        info.PreviousSecretEndsAt);
}
