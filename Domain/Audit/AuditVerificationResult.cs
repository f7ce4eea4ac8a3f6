using System.Text.Json.Serialization;

namespace Synapse.Audit;

/// <summary>
/// The verdict of <see cref="AuditVerifier"/>: <c>{"ok":true,"checked":N}</c>, or the first broken row
/// with a reason (which names columns and ids, never content).
/// </summary>
public sealed record AuditVerificationResult(
    bool Ok,
    long Checked,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FirstBrokenId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public static AuditVerificationResult Broken(long @checked, long? id, string reason) => new(false, @checked, id, reason);
}
