
namespace Synapse.Dlp;

/// <summary>The built-in categories, their default actions and their precedence.</summary>
public static class DlpCategories
{
    public const string Secret = "secret";
    public const string CreditCard = "credit_card";
    public const string UsSsn = "us_ssn";
    public const string UkNino = "uk_nino";
    public const string Iban = "iban";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string IpAddress = "ip_address";

    /// <summary>
    /// Built-ins in precedence order: when matches overlap, the more severe action wins and, between
    /// equal actions, the category listed first (custom categories rank between <see cref="Iban"/>
    /// and <see cref="Email"/>).
    /// </summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
        [Secret, CreditCard, UsSsn, UkNino, Iban, Email, Phone, IpAddress];

    public static bool IsBuiltIn(string category) => BuiltIn.Contains(category, StringComparer.Ordinal);

    /// <summary>The action a built-in category has when no policy says otherwise.</summary>
    public static DlpAction DefaultAction(string category) => category switch
    {
        Secret or CreditCard or UsSsn or UkNino => DlpAction.Block,
        Iban or Email or Phone => DlpAction.Redact,
        IpAddress => DlpAction.Alert,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Not a built-in DLP category."),
    };
}
