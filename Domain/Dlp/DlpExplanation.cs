
namespace Synapse.Dlp;

/// <summary>
/// Why a finding was reported: <see cref="Rule"/> is a stable id of the rule that matched (for
/// example <c>credit_card.luhn_issuer</c> or <c>secret.github_classic</c>) and <see cref="Reason"/>
/// says in words what was checked ("Luhn valid, issuer Visa, 16 digits"). Neither repeats the
/// matched text beyond fixed format prefixes.
/// </summary>
public sealed record DlpExplanation(string Rule, string Reason);
