
namespace Synapse.Dlp.Detection;

/// <summary>
/// The shape of one provider's key: a literal prefix, then a body of <see cref="BodyLength"/>
/// characters drawn from <see cref="IsBodyChar"/>. <see cref="NeedsMixedBody"/> demands upper-case,
/// lower-case and a digit in the body, which random keys always have and hyphenated words
/// ("sk-learn-compatible-…") do not.
/// </summary>
internal sealed record TokenRule(string Prefix, int MinBody, int MaxBody, Func<char, bool> IsBodyChar, bool NeedsMixedBody = false, bool NeedsDigit = false)
{
    public int MaxLength => Prefix.Length + MaxBody;
}
