using System.Security.Cryptography;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Gateway.Security;

/// <summary>
/// The hash of the admin token. The token comes from <c>Synapse:Admin:Token</c>; without one,
/// the all-in-one mode mints a token on first start, prints it once and keeps only its hash.
/// </summary>
public sealed class AdminCredential(string tokenSha256)
{
    public const string ConfigurationKey = "Synapse:Admin:Token";
    public const string HashFileName = "admin-token.sha256";
    public const int MinimumTokenLength = 16;

    public bool Matches(ReadOnlySpan<char> presentedToken) =>
        ApiKeySecrets.HashesEqual(tokenSha256, ApiKeySecrets.Hash(presentedToken));

    public static AdminCredential Load(IConfiguration configuration, string dataDirectory, bool allowGenerated)
    {
        if (configuration[ConfigurationKey] is { Length: > 0 } token)
        {
            if (token.Length < MinimumTokenLength)
            {
                throw new InvalidOperationException($"{ConfigurationKey} must have at least {MinimumTokenLength} characters.");
            }

            return new AdminCredential(ApiKeySecrets.Hash(token));
        }

        if (!allowGenerated)
        {
            throw new InvalidOperationException($"Set {ConfigurationKey} (env Synapse__Admin__Token): a front end in client mode never generates its own admin token.");
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
        // the clear, and log pipelines keep what they are given.
        Console.WriteLine();
        Console.WriteLine("  Synapse generated an admin token. It is shown this once and stored only as a hash:");
        Console.WriteLine($"    {generated}");
        Console.WriteLine($"  Use it as 'Authorization: Bearer <token>' on /admin/api. To replace it, delete {hashFile} and restart.");
        Console.WriteLine();
        return new AdminCredential(ApiKeySecrets.Hash(generated));
    }
}
