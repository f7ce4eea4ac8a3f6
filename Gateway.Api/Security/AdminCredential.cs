using System.Security.Cryptography;
using Synapse.Audit;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.Security;

/// <summary>
/// The hash of the admin token. The token comes from <c>Synapse:Admin:Token</c> (<see cref="AdminSecurityOptions.Token"/>,
/// checked at start); without one, the all-in-one mode mints a token on first start, prints it
/// once and keeps only its hash, both once the host listens (<see cref="KeepGeneratedToken"/>).
/// </summary>
public sealed class AdminCredential
{
    public const string ConfigurationKey = AdminSecurityOptions.SectionName + ":" + nameof(AdminSecurityOptions.Token);
    public const string HashFileName = "admin-token.sha256";

    private readonly string _tokenSha256;
    private readonly string? _hashFile;
    private string? _generated;

    public AdminCredential(string tokenSha256)
        : this(tokenSha256, generated: null, hashFile: null)
    {
    }

    private AdminCredential(string tokenSha256, string? generated, string? hashFile)
    {
        _tokenSha256 = tokenSha256;
        _generated = generated;
        _hashFile = hashFile;
    }

    public bool Matches(ReadOnlySpan<char> presentedToken) =>
        ApiKeySecrets.HashesEqual(_tokenSha256, ApiKeySecrets.Hash(presentedToken));

    /// <summary>
    /// The configured token's hash, else (all-in-one only) the one kept by an earlier start, else a
    /// new token's, which is neither shown nor kept until <see cref="KeepGeneratedToken"/>; the
    /// settings were checked at start.
    /// </summary>
    public static AdminCredential Load(AdminSecurityOptions options, string dataDirectory, bool allowGenerated)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Token is { Length: > 0 } token)
        {
            return new AdminCredential(ApiKeySecrets.Hash(token));
        }

        if (!allowGenerated)
        {
            throw new InvalidOperationException(AdminTokenRequired.Message);
        }

        var hashFile = Path.Combine(dataDirectory, HashFileName);
        if (File.Exists(hashFile))
        {
            return new AdminCredential(File.ReadAllText(hashFile).Trim());
        }

        var generated = "synadm-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        return new AdminCredential(ApiKeySecrets.Hash(generated), generated, hashFile);
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

        try
        {
            OwnerOnlyFiles.WriteNew(_hashFile!, _tokenSha256);
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
        output.WriteLine("  Synapse generated an admin token. It is shown this once and stored only as a hash.");
        output.WriteLine($"    Admin token: {generated}");
        output.WriteLine($"  Use it as 'Authorization: Bearer <token>' on /admin/api. To replace it, delete {_hashFile} and restart.");
        output.WriteLine();
    }
}
