using Synapse.Dlp.Detection;

namespace Synapse.Dlp.Engine;

/// <summary>
/// The detectors a policy switches on, each with its category, action, precedence rank and
/// redaction marker. Detectors hold no per-scan state, so one set serves concurrent scans.
/// </summary>
internal sealed class DetectorSet
{
    private DetectorSet(DlpDetector[] detectors, DlpAction[] actions, int[] ranks)
    {
        Detectors = detectors;
        Actions = actions;
        Ranks = ranks;
        Markers = detectors.Select(d => $"[REDACTED:{d.Category.ToUpperInvariant()}]").ToArray();
    }

    public DlpDetector[] Detectors { get; }

    public DlpAction[] Actions { get; }

    /// <summary>Lower wins between overlapping matches of equal action severity.</summary>
    public int[] Ranks { get; }

    public string[] Markers { get; }

    public static DetectorSet Build(DlpPolicy policy)
    {
        // Precedence: built-ins in their listed order, with custom categories ranked between the
        // financial identifiers and the contact details (email, phone, ip_address).
        var precedence = policy.Categories
            .OrderBy(c => c switch
            {
                DlpCategories.Email => 1,
                DlpCategories.Phone => 2,
                DlpCategories.IpAddress => 3,
                _ => 0,
            })
            .ToList();

        var detectors = new List<DlpDetector>();
        foreach (var category in precedence)
        {
            if (policy.ActionFor(category) != DlpAction.Off)
            {
                detectors.AddRange(Create(category, policy));
            }
        }

        var actions = detectors.Select(d => policy.ActionFor(d.Category)).ToArray();
        var ranks = detectors.Select(d => precedence.IndexOf(d.Category)).ToArray();
        return new DetectorSet([.. detectors], actions, ranks);
    }

    private static IEnumerable<DlpDetector> Create(string category, DlpPolicy policy) => category switch
    {
        DlpCategories.Secret => [new TokenSecretDetector(), new JwtDetector(), new PemPrivateKeyDetector()],
        DlpCategories.CreditCard => [new CreditCardDetector()],
        DlpCategories.UsSsn => [new UsSsnDetector()],
        DlpCategories.UkNino => [new UkNinoDetector()],
        DlpCategories.Iban => [new IbanDetector()],
        DlpCategories.Email => [new EmailDetector()],
        DlpCategories.Phone => [new PhoneDetector()],
        DlpCategories.IpAddress => [new IpAddressDetector()],
        _ => [new CustomRegexDetector(policy.Custom.Single(c => c.Name == category))],
    };
}
