
namespace Synapse.Audit;

/// <summary>
/// The two secrets of the audit log, both kept outside the database: the digest key (HMAC of
/// prompts and answers) and the checkpoint signing key. Never logged, never printed.
/// </summary>
public sealed class AuditKeys
{
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _hashKey;
    private readonly byte[] _signingKey;

    public AuditKeys(byte[] hashKey, byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(hashKey);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (hashKey.Length < MinimumKeyBytes || signingKey.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"Audit keys must have at least {MinimumKeyBytes} bytes.");
        }

        _hashKey = (byte[])hashKey.Clone();
        _signingKey = (byte[])signingKey.Clone();
    }

    internal ReadOnlySpan<byte> HashKey => _hashKey;

    internal ReadOnlySpan<byte> SigningKey => _signingKey;

    public override string ToString() => nameof(AuditKeys);
}
