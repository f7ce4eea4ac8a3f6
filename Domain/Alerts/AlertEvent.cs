
namespace Synapse.Alerts;

/// <summary>
/// One alert. <see cref="Id"/> is stable: every delivery attempt of it, to every webhook, carries
/// the same id, so receivers can drop duplicates. <see cref="Details"/> holds counts, thresholds and
/// DLP category names; never prompt, response or matched text.
/// </summary>
public sealed record AlertEvent(Guid Id, string Type, DateTimeOffset OccurredAt, string? KeyId, string? TeamId, IReadOnlyDictionary<string, object> Details)
{
    public static AlertEvent Create(string type, DateTimeOffset occurredAt, string? keyId, string? teamId, IReadOnlyDictionary<string, object> details) =>
        new(Guid.CreateVersion7(occurredAt), type, occurredAt, keyId, teamId, details);
}
