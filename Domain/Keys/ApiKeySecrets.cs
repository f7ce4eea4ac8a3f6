using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Keys;

/// <summary>
/// Mints key secrets and hashes them. A secret is <c>syn-</c> followed by 32 random bytes in
/// URL-safe base64; only its SHA-256 is ever stored.
/// </summary>
public static class ApiKeySecrets
{
    public const string SecretPrefix = "syn-";

    /// <summary>How much of the secret the admin API shows, so people can tell keys apart.</summary>
    public const int DisplayPrefixLength = 12;

    private const int SecretBytes = 32;

    /// <summary>The length of every secret <see cref="Generate"/> mints: the prefix and 32 bytes in unpadded base64url.</summary>
    public static readonly int SecretLength = SecretPrefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    public static string Generate() =>
        SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string DisplayPrefix(string secret) => secret[..Math.Min(DisplayPrefixLength, secret.Length)];

    /// <summary>
    /// Whether <paramref name="secret"/> has the shape of a minted secret. Anything else cannot be a
    /// key, so it is refused without a lookup and without costing the lookup's caches anything.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> secret) =>
        secret.Length == SecretLength
        && secret.StartsWith(SecretPrefix, StringComparison.Ordinal)
        && !secret[SecretPrefix.Length..].ContainsAnyExcept(Base64UrlAlphabet);

    private static readonly System.Buffers.SearchValues<char> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes.</summary>
    public static string Hash(ReadOnlySpan<char> secret)
    {
        Span<byte> utf8 = secret.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(secret.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Compares two hashes without leaking, through timing, where they first differ.</summary>
    public static bool HashesEqual(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            MemoryMarshalBytes(expected), MemoryMarshalBytes(presented));

    private static ReadOnlySpan<byte> MemoryMarshalBytes(string value) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan());
}
