using System.Security.Cryptography;
using System.Text;
using Synapse.Audit;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.Security;

/// <summary>
/// The digest of the admin token. The token comes from <c>Synapse:Admin:Token</c> (<see cref="AdminSecurityOptions.Token"/>,
/// checked at start), and only its SHA-256 is kept, in memory; without one, the all-in-one mode
/// mints a token on first start, prints it once and keeps only its HMAC in the data directory
/// (<see cref="HashFileName"/>), both once the host listens (<see cref="KeepGeneratedToken"/>).
/// </summary>
/// <remarks>
/// The file holds an HMAC, not a hash, because the data directory is not out of an attacker's
/// reach: whoever can write it could put the SHA-256 of a token of their choosing there. The key
/// (<see cref="SealPurpose"/>, derived from the audit signing key) is kept outside the data
/// directory. The SHA-256 file of earlier releases (<see cref="LegacyHashFileName"/>) is never
/// believed: it cannot be converted (only the hash is known), so a start that finds it and no HMAC
/// file mints a new token, prints it, and deletes the old file.
/// </remarks>
public sealed class AdminCredential
{
    public const string ConfigurationKey = AdminSecurityOptions.SectionName + ":" + nameof(AdminSecurityOptions.Token);
    public const string HashFileName = "admin-token.hmac";
    public const string LegacyHashFileName = "admin-token.sha256";
    public const string SealPurpose = "admin-token-v1";

    private readonly string _digest;
    private readonly byte[]? _key;
    private readonly string? _hashFile;
    private string? _generated;

    /// <summary>A configured token, by its SHA-256 (kept in memory only).</summary>
    public AdminCredential(string tokenSha256)
        : this(tokenSha256, key: null, generated: null, hashFile: null)
    {
    }

    private AdminCredential(string digest, byte[]? key, string? generated, string? hashFile)
    {
        _digest = digest;
        _key = key;
        _generated = generated;
        _hashFile = hashFile;
    }

    public bool Matches(ReadOnlySpan<char> presentedToken) =>
        ApiKeySecrets.HashesEqual(_digest, _key is null ? ApiKeySecrets.Hash(presentedToken) : Hmac(_key, presentedToken));

    /// <summary>
    /// The configured token's hash, else (all-in-one only) the one kept by an earlier start, else a
    /// new token's, which is neither shown nor kept until <see cref="KeepGeneratedToken"/>; the
    /// settings were checked at start.
    /// </summary>
    /// <param name="keys">The audit keys, read only when the token is generated (all-in-one).</param>
    public static AdminCredential Load(AdminSecurityOptions options, string dataDirectory, bool allowGenerated, Func<AuditKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Token is { Length: > 0 } token)
        {
            return new AdminCredential(ApiKeySecrets.Hash(token));
        }

        if (!allowGenerated)
        {
            throw new InvalidOperationException(AdminTokenRequired.Message);
        }

        var key = keys().DeriveSealKey(SealPurpose);
        var hashFile = Path.Combine(dataDirectory, HashFileName);
        if (File.Exists(hashFile))
        {
            return new AdminCredential(File.ReadAllText(hashFile).Trim(), key, generated: null, hashFile: null);
        }

        var generated = "synadm-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        return new AdminCredential(Hmac(key, generated), key, generated, hashFile);
    }

    private static string Hmac(byte[] key, ReadOnlySpan<char> token)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(token)];
        Encoding.UTF8.GetBytes(token, utf8);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, utf8));
    }

    /// <summary>
    /// Keeps the hash of a token generated at this start and prints the token, once the host
    /// listens: a start that fails before (a port taken, the audit key refused) must neither
    /// print a token nor keep its hash, or the next start, finding the hash, prints nothing and
    /// the token is lost. Without a generated token, does nothing.
    /// </summary>
    public void KeepGeneratedToken(TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (Interlocked.Exchange(ref _generated, null) is not { } generated)
        {
            return;
        }

        var legacyFile = Path.Combine(Path.GetDirectoryName(_hashFile)!, LegacyHashFileName);
        var replacesLegacy = File.Exists(legacyFile);
        try
        {
            OwnerOnlyFiles.WriteNew(_hashFile!, _digest);
            File.Delete(legacyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Shown, the token would stop working at the next start: better none at all.
            errors.WriteLine($"Synapse could not keep the admin token it generated ({e.Message}), so it is not shown: make the data directory ({Synapse.Hosting.DataDirectory.ConfigurationKey}) writable, or set {ConfigurationKey} (env Synapse__Admin__Token), and restart.");
            return;
        }

        // Deliberately the console and not the logger: this is the one time the token exists in
        // the clear, and log pipelines keep what they are given. The token's own line names it, so
        // that `docker logs <container> | grep -i "admin token"` (README) shows the token itself.
        output.WriteLine();
        output.WriteLine("  Synapse generated an admin token. It is shown this once and stored only as a keyed hash.");
        output.WriteLine($"    Admin token: {generated}");
        if (replacesLegacy)
        {
            output.WriteLine($"  It replaces the admin token of an earlier release, which no longer works: that release kept its plain SHA-256 ({LegacyHashFileName}), which whoever can write the data directory could forge.");
        }

        output.WriteLine($"  Use it as 'Authorization: Bearer <token>' on /admin/api. To replace it, delete {_hashFile} and restart.");
        output.WriteLine();
    }
}
