namespace Synapse.Grains.Dlp;

/// <summary>The outcome of one or more scans: blocked or not, and which categories did what.</summary>
public sealed record DlpVerdict(
    IReadOnlyList<string> BlockedCategories,
    IReadOnlyList<string> RedactedCategories,
    IReadOnlyList<string> AlertedCategories)
{
    public static DlpVerdict Clean { get; } = new([], [], []);

    /// <summary>True when any <c>block</c> category was found: refuse the request.</summary>
    public bool IsBlocked => BlockedCategories.Count > 0;

    public static DlpVerdict From(IEnumerable<DlpFinding> findings)
    {
        List<string>? blocked = null, redacted = null, alerted = null;
        foreach (var finding in findings)
        {
            var list = finding.Action switch
            {
                DlpAction.Block => blocked ??= [],
                DlpAction.Redact => redacted ??= [],
                _ => alerted ??= [],
            };
            if (!list.Contains(finding.Category, StringComparer.Ordinal))
            {
                list.Add(finding.Category);
            }
        }

        return blocked is null && redacted is null && alerted is null
            ? Clean
            : new DlpVerdict(blocked ?? [], redacted ?? [], alerted ?? []);
    }
}
