using System.Buffers;
using System.Globalization;
using System.Text;
using Synapse.Dlp.Validation;

namespace Synapse.Dlp.Detection;

/// <summary>
/// The provider key formats the <c>secret</c> category claims, each with the shape its vendor
/// documents (or, where the vendor publishes none, the shape every issued key has been seen to
/// have). Every random part must also pass <see cref="Randomness"/>. docs/dlp.md lists each rule
/// with its source.
/// </summary>
internal static class TokenFormats
{
    private const string OpenAiMarker = "T3BlbkFJ";

    private static readonly SearchValues<char> Alnum = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    private static readonly SearchValues<char> Base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    private static readonly SearchValues<char> AwsBase32 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static IReadOnlyList<TokenFormat> All { get; } =
    [
        new("secret.anthropic", "Anthropic API or admin key", "Anthropic key format (sk-ant-api03-/sk-ant-admin01- + 93 + AA)",
            ["sk-ant-api03-", "sk-ant-admin01-"], 95, 95, AnthropicKey),
        new("secret.anthropic_oauth", "Anthropic OAuth token", "Anthropic OAuth tokens (sk-ant-oat01-/sk-ant-ort01-, no published length)",
            ["sk-ant-oat01-", "sk-ant-ort01-"], 40, 200, (_, body, why) => Random(body, 64, Base64Url, why)),
        new("secret.openai_project", "OpenAI project, service-account or admin key", "OpenAI key format (sk-proj-/sk-svcacct-/sk-admin-, T3BlbkFJ marker)",
            ["sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"], 124, 156, OpenAiProjectKey),
        new("secret.openai_legacy", "OpenAI user key", "OpenAI key format (sk- + 20 + T3BlbkFJ + 20)",
            ["sk-"], 48, 48, OpenAiLegacyKey),
        new("secret.aws_access_key", "AWS access key id", "AWS IAM unique identifier prefixes (AKIA, ASIA, ABIA, ACCA) + 16 base32",
            ["AKIA", "ASIA", "ABIA", "ACCA"], 16, 16, AwsAccessKey),
        new("secret.github_classic", "GitHub token", "GitHub token formats (2021): 36 base62 with a CRC32 checksum",
            ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 36, 36, GitHubToken),
        new("secret.github_fine_grained", "GitHub fine-grained personal access token", "GitHub fine-grained PAT (github_pat_ + 22 + _ + 59)",
            ["github_pat_"], 82, 82, GitHubFineGrained),
        new("secret.slack", "Slack token", "Slack token types (xoxb-, xoxp-, xoxe-, xoxa-, xoxr-, xoxs-, xoxo-)",
            ["xoxb-", "xoxp-", "xoxe-", "xoxa-", "xoxr-", "xoxs-", "xoxo-"], 10, 250, SlackToken),
        new("secret.stripe", "Stripe live secret or restricted key", "Stripe API keys (sk_live_/rk_live_)",
            ["sk_live_", "rk_live_"], 24, 247, (_, body, why) => Random(body, 62, Alnum, why)),
        new("secret.google_api_key", "Google API key", "Google API keys (AIza + 35)",
            ["AIza"], 35, 35, (_, body, why) => Random(body, 64, Base64Url, why)),

        // This gateway's own keys (ApiKeySecrets): one pasted into a prompt must not reach a
        // provider any more than another vendor's, and the audit log's screen of client text
        // (a user agent, a path) must not keep one either.
        new("secret.synapse", "Synapse AI Gateway key", "this gateway's key format (syn- + 43 base64url: 32 random bytes)",
            ["syn-"], 43, 43, (_, body, why) => Random(body, 64, Base64Url, why)),
        new("secret.synapse_admin", "Synapse AI Gateway admin token", "this gateway's generated admin token (synadm- + 48 hex: 24 random bytes, AdminCredential)",
            ["synadm-"], 48, 48, (_, body, why) => Random(body, 16, Hex, why)),
    ];

    /// <summary>Body: 93 base64url characters of key, then <c>AA</c>.</summary>
    private static bool AnthropicKey(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        if (!body.EndsWith("AA", StringComparison.Ordinal))
        {
            return false;
        }

        why?.Append("93 characters then AA; ");
        return Random(body[..^2], 64, Base64Url, why);
    }

    /// <summary>Body: base64url halves of 58 or 74 characters around the <c>T3BlbkFJ</c> marker (base64 of "OpenAI").</summary>
    private static bool OpenAiProjectKey(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        var marker = body.IndexOf(OpenAiMarker, StringComparison.Ordinal);
        var after = body.Length - marker - OpenAiMarker.Length;
        if (marker is not (58 or 74) || after is not (58 or 74))
        {
            return false;
        }

        var first = body[..marker];
        var second = body[(marker + OpenAiMarker.Length)..];
        if (first.ContainsAnyExcept(Base64Url) || second.ContainsAnyExcept(Base64Url))
        {
            return false;
        }

        why?.Append(CultureInfo.InvariantCulture, $"T3BlbkFJ marker between {first.Length} and {second.Length} characters; ");
        return Random([.. first, .. second], 64, Base64Url, why);
    }

    /// <summary>Body: 20 alphanumerics, <c>T3BlbkFJ</c>, 20 alphanumerics.</summary>
    private static bool OpenAiLegacyKey(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        if (!body.Slice(20, OpenAiMarker.Length).SequenceEqual(OpenAiMarker) || body.ContainsAnyExcept(Alnum))
        {
            return false;
        }

        why?.Append("20 + T3BlbkFJ + 20 alphanumerics; ");
        return Random([.. body[..20], .. body[28..]], 62, Alnum, why);
    }

    /// <summary>Body: 16 of <c>A-Z2-7</c>; ids ending in EXAMPLE are the AWS documentation's.</summary>
    private static bool AwsAccessKey(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        if (body.EndsWith("EXAMPLE", StringComparison.Ordinal))
        {
            return false;
        }

        return Random(body, 32, AwsBase32, why);
    }

    /// <summary>Body: 36 base62 characters whose last 6 are the CRC32 of the first 30.</summary>
    private static bool GitHubToken(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        if (body.ContainsAnyExcept(Alnum) || !GitHubTokenChecksum.IsValid(body))
        {
            return false;
        }

        why?.Append("CRC32 checksum valid; ");
        return Random(body[..GitHubTokenChecksum.RandomLength], 62, Alnum, why);
    }

    /// <summary>Body: 22 alphanumerics, <c>_</c>, 59 alphanumerics.</summary>
    private static bool GitHubFineGrained(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        if (body[22] != '_' || body[..22].ContainsAnyExcept(Alnum) || body[23..].ContainsAnyExcept(Alnum))
        {
            return false;
        }

        why?.Append("22 + _ + 59 alphanumerics; ");
        return Random([.. body[..22], .. body[23..]], 62, Alnum, why);
    }

    /// <summary>
    /// Dash-separated numeric ids then one secret segment: bot <c>xoxb-</c> 1–2 ids of 8–14 digits and
    /// 18–34 alphanumerics; user <c>xoxp-</c>/<c>xoxe-</c> 3 ids of 8–14 digits and 28–34; legacy
    /// <c>xoxs-</c>/<c>xoxo-</c> 3 ids and at least 10 hex digits; workspace <c>xoxa-</c>/<c>xoxr-</c> an
    /// optional one-digit version, up to 3 ids of 8–14 digits and 10–48 alphanumerics. A secret written
    /// only in hex digits is judged for randomness as hex.
    /// </summary>
    private static bool SlackToken(string prefix, ReadOnlySpan<char> body, StringBuilder? why)
    {
        var kind = prefix[3];
        Span<int> ids = stackalloc int[4];
        var count = 0;
        var pos = 0;
        var version = false;
        while (true)
        {
            var dash = body[pos..].IndexOf('-');
            if (dash < 0)
            {
                break;
            }

            var segment = body.Slice(pos, dash);
            if (segment.IsEmpty || segment.ContainsAnyExcept(Digits) || count == ids.Length)
            {
                return false;
            }

            if (pos == 0 && segment.Length == 1 && kind is 'a' or 'r')
            {
                version = true;
            }
            else
            {
                ids[count++] = segment.Length;
            }

            pos += dash + 1;
        }

        var secret = body[pos..];
        var (minIds, maxIds, minId, minSecret, maxSecret, alphabet) = kind switch
        {
            'b' => (1, 2, 8, 18, 34, Alnum),
            'p' or 'e' => (3, 3, 8, 28, 34, Alnum),
            's' or 'o' => (3, 3, 1, 10, 64, Hex),
            _ => (0, 3, 8, 10, 48, Alnum),
        };

        if (count < minIds || count > maxIds || secret.Length < minSecret || secret.Length > maxSecret || secret.ContainsAnyExcept(alphabet))
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            if (ids[k] < minId || ids[k] > 14)
            {
                return false;
            }
        }

        // User tokens' secrets are 32 lowercase hex characters inside this alphanumeric shape: judged as
        // base62, one genuine token in about 3,000 shows an 8-step run ("5555566669") and was missed.
        var hex = alphabet == Hex || !secret.ContainsAnyExcept(Hex);
        why?.Append(CultureInfo.InvariantCulture, $"{(version ? "version, " : string.Empty)}{count} numeric id(s) and a {secret.Length}-character {(hex ? "hex " : string.Empty)}secret; ");
        return hex ? Random(secret, 16, Hex, why) : Random(secret, 62, alphabet, why);
    }

    private static bool Random(ReadOnlySpan<char> part, int alphabetSize, SearchValues<char> alphabet, StringBuilder? why)
    {
        if (part.ContainsAnyExcept(alphabet))
        {
            return false;
        }

        var ok = Randomness.LooksRandom(part, alphabetSize);
        why?.Append(CultureInfo.InvariantCulture, $"random part {Randomness.BitsPerChar(part):0.0} bits/character (floor {Randomness.Floor(part.Length, alphabetSize):0.0})");
        return ok;
    }
}
