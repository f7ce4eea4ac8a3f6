
namespace Synapse.Audit;

/// <summary>
/// A page of events, newest first: every filter is optional; <see cref="From"/> is inclusive and
/// <see cref="To"/> exclusive; <see cref="BeforeId"/> is the keyset cursor (ids below it).
/// </summary>
public sealed record AuditQuery(
    string? KeyId = null,
    string? TeamId = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int Limit = 100,
    string? Model = null,
    string? Provider = null,
    string? DlpCategory = null,
    string? Kind = null)
{
    /// <summary>Whether a row passes every filter but the time range, the cursor and the limit (for streamed exports).</summary>
    public bool Matches(AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Record;
        return (KeyId is null || r.KeyId == KeyId)
            && (TeamId is null || r.TeamId == TeamId)
            && (Outcome is null || r.Outcome == Outcome)
            && (Model is null || r.Model == Model)
            && (Provider is null || r.Provider == Provider)
            && (DlpCategory is null || r.DlpCategories?.Contains(DlpCategory) == true)
            && (Kind is null || AuditText.Kind(r.Kind) == Kind);
    }
}
