using System.Security.Cryptography;
using System.Text;

namespace Synapse.Audit;

/// <summary>
/// The two secrets of the audit log, both kept outside the database: the digest key (HMAC of
/// prompts and answers) and the signing key. The signing key is never used directly for new
/// records: HKDF derives one key for the row MACs and one for the manifest, so a MAC of one kind
/// can never stand in for the other. Never logged, never printed; <see cref="SigningKeySource"/>
/// says where the signing key came from (a setting's name or a file path), never the key.
/// </summary>
public sealed class AuditKeys
{
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _hashKey;
    private readonly byte[] _signingKey;
    private readonly byte[] _rowKey;
    private readonly byte[] _manifestKey;

    public AuditKeys(byte[] hashKey, byte[] signingKey, string? signingKeySource = null)
    {
        ArgumentNullException.ThrowIfNull(hashKey);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (hashKey.Length < MinimumKeyBytes || signingKey.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"Audit keys must have at least {MinimumKeyBytes} bytes.");
        }

        _hashKey = (byte[])hashKey.Clone();
        _signingKey = (byte[])signingKey.Clone();
        _rowKey = Derive(signingKey, "synapse-audit-row-mac-v2");
        _manifestKey = Derive(signingKey, "synapse-audit-manifest-mac-v2");
        SigningKeySource = signingKeySource ?? "the configured signing key";
    }

    /// <summary>Where the signing key came from, for messages: a setting's name or a file's path.</summary>
    public string SigningKeySource { get; }

    internal ReadOnlySpan<byte> HashKey => _hashKey;

    /// <summary>The key itself: only the first release's checkpoints were signed with it.</summary>
    internal ReadOnlySpan<byte> SigningKey => _signingKey;

    internal ReadOnlySpan<byte> RowKey => _rowKey;

    internal ReadOnlySpan<byte> ManifestKey => _manifestKey;

    /// <summary>
    /// A key for sealing what the database holds outside the audit log (grain state, accounts,
    /// sessions): derived from the signing key, which the database never holds, with HKDF and a
    /// purpose of its own, so a seal of one kind can never stand in for another or for a row MAC.
    /// </summary>
    /// <param name="purpose">A fixed ASCII name of what the key seals, versioned (e.g. "grain-state-v1").</param>
    public byte[] DeriveSealKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return Derive(_signingKey, "synapse-seal-" + purpose);
    }

    public override string ToString() => nameof(AuditKeys);

    private static byte[] Derive(byte[] signingKey, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey, 32, salt: [], info: Encoding.ASCII.GetBytes(purpose));
}
