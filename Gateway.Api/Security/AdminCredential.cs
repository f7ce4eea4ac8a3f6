using System.Security.Cryptography;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.Security;

/// <summary>
/// The hash of the admin token. The token comes from <c>Synapse:Admin:Token</c> (<see cref="AdminSecurityOptions.Token"/>,
/// checked at start); without one, the all-in-one mode mints a token on first start, prints it
/// once and keeps only its hash.
/// </summary>
public sealed class AdminCredential(string tokenSha256)
{
    public const string ConfigurationKey = AdminSecurityOptions.SectionName + ":" + nameof(AdminSecurityOptions.Token);
    public const string HashFileName = "admin-token.sha256";
    public const int MinimumTokenLength = 16;

    public bool Matches(ReadOnlySpan<char> presentedToken) =>
        ApiKeySecrets.HashesEqual(tokenSha256, ApiKeySecrets.Hash(presentedToken));

    /// <summary>The configured token's hash, else (all-in-one only) the generated one's; the settings were checked at start.</summary>
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
        File.WriteAllText(hashFile, ApiKeySecrets.Hash(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hashFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Deliberately the console and not the logger: this is the one time the token exists in
        // the clear, and log pipelines keep what they are given. The token's own line names it, so
        // that `docker logs <container> | grep -i "admin token"` (README) shows the token itself.
        Console.WriteLine();
        Console.WriteLine("  Synapse generated an admin token. It is shown this once and stored only as a hash.");
        Console.WriteLine($"    Admin token: {generated}");
        Console.WriteLine($"  Use it as 'Authorization: Bearer <token>' on /admin/api. To replace it, delete {hashFile} and restart.");
        Console.WriteLine();
        return new AdminCredential(ApiKeySecrets.Hash(generated));
    }
}
