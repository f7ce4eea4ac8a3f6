using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Synapse.Audit;

/// <summary>
/// Computes <c>prompt_sha256</c> and <c>response_sha256</c>: HMAC-SHA256 with the audit hash key over
/// <c>"synapse-audit-text-v1\n" + kind + "\n" + canonical text</c> (UTF-8), lower-case hex. Without
/// the key a digest of a short prompt cannot be reversed by trying candidate texts.
/// </summary>
public sealed class AuditDigester(AuditKeys keys)
{
    public const string PromptKind = "prompt";
    public const string ResponseKind = "response";
    private const string Prefix = "synapse-audit-text-v1\n";

    public string Prompt(string text) => Digest(PromptKind, text);

    public string Response(string text) => Digest(ResponseKind, text);

    /// <summary>The prompt digest of an OpenAI-style <c>messages</c> array (see <see cref="AuditCanonicalText"/>).</summary>
    public string ChatPrompt(JsonArray messages) => Digest(PromptKind, AuditCanonicalText.FromChatMessages(messages));

    /// <summary>Whether <paramref name="text"/> has the digest <paramref name="digest"/> (constant time).</summary>
    public bool Matches(string? digest, string kind, string text)
    {
        if (digest is null || digest.Length != 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Digest(kind, text));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(digest));
    }

    public string Digest(string kind, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var input = Encoding.UTF8.GetBytes(Prefix + kind + "\n" + AuditCanonicalText.Normalize(text));
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.HashKey, input));
    }
}
