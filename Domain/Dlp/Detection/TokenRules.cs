
namespace Synapse.Dlp.Detection;

/// <summary>Provider key formats, from each provider's published token documentation.</summary>
internal static class TokenRules
{
    public static IReadOnlyList<TokenRule> All { get; } = Build();

    private static bool Alnum(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool UpperAlnum(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);

    private static bool AlnumUnderscore(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool AlnumDash(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static TokenRule[] Build()
    {
        List<TokenRule> rules =
        [
            // Anthropic: sk-ant-api03-…, sk-ant-admin01-… (about 100 characters).
            new("sk-ant-", 32, 200, CharClass.IsTokenChar),

            // OpenAI: legacy sk-<48>, project sk-proj-…, service account sk-svcacct-…, admin sk-admin-….
            new("sk-", 20, 250, CharClass.IsTokenChar, NeedsMixedBody: true),

            // AWS access key ids: exactly 16 upper-case letters and digits after the prefix.
            new("AKIA", 16, 16, UpperAlnum),
            new("ASIA", 16, 16, UpperAlnum),

            // GitHub fine-grained PATs.
            new("github_pat_", 22, 255, AlnumUnderscore),

            // Stripe live secret and restricted keys.
            new("sk_live_", 16, 247, Alnum),
            new("rk_live_", 16, 247, Alnum),

            // Google API keys: AIza plus 35.
            new("AIza", 35, 35, CharClass.IsTokenChar),
        ];

        // GitHub classic tokens: 36 alphanumerics (older ones 40 hex; allow some growth).
        foreach (var prefix in (string[])["ghp_", "gho_", "ghs_", "ghu_", "ghr_"])
        {
            rules.Add(new TokenRule(prefix, 30, 251, Alnum));
        }

        // Slack: xoxb-/xoxp-/xoxa-/xoxr-/xoxs- then dash-separated numeric and alphanumeric parts.
        foreach (var kind in "abprs")
        {
            rules.Add(new TokenRule($"xox{kind}-", 10, 250, AlnumDash, NeedsDigit: true));
        }

        return [.. rules];
    }
}
