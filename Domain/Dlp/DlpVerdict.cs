
namespace Synapse.Dlp;

/// <summary>The outcome of one or more scans: blocked or not, and which categories did what.</summary>
public sealed record DlpVerdict(
    IReadOnlyList<string> BlockedCategories,
    IReadOnlyList<string> RedactedCategories,
    IReadOnlyList<string> AlertedCategories,
    IReadOnlyList<string>? RoutedOnPremCategories = null)
{
    public static DlpVerdict Clean { get; } = new([], [], [], []);

    /// <summary>Categories whose action is <c>route_on_prem</c>: the request may only go on-prem.</summary>
    public IReadOnlyList<string> OnPremOnlyCategories => RoutedOnPremCategories ?? [];

    /// <summary>True when any <c>block</c> category was found: refuse the request.</summary>
    public bool IsBlocked => BlockedCategories.Count > 0;

    public static DlpVerdict From(IEnumerable<DlpFinding> findings)
    {
        List<string>? blocked = null, redacted = null, alerted = null, onPrem = null;
        foreach (var finding in findings)
        {
            var list = finding.Action switch
            {
                DlpAction.Block => blocked ??= [],
                DlpAction.Redact => redacted ??= [],
                DlpAction.RouteOnPrem => onPrem ??= [],
                _ => alerted ??= [],
            };
            // List<string>.Contains compares ordinally and, unlike LINQ's Contains with a comparer,
            // allocates no enumerator per finding.
            if (!list.Contains(finding.Category))
            {
                list.Add(finding.Category);
            }
        }

        return blocked is null && redacted is null && alerted is null && onPrem is null
            ? Clean
            : new DlpVerdict(blocked ?? [], redacted ?? [], alerted ?? [], onPrem ?? []);
    }
}
