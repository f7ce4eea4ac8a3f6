using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Persistence.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Reads the audit keys from <c>Synapse:Audit:HashKey</c> / <c>SigningKey</c> (base64), or from
/// <c>audit-hash.key</c> / <c>audit-signing.key</c> in the data directory, generating those files
/// (owner-only) when allowed. Messages name the setting, never the key.
/// </summary>
public static class AuditKeyLoader
{
    public const string HashKeyFile = "audit-hash.key";
    public const string SigningKeyFile = "audit-signing.key";

    public static AuditKeys Load(IConfiguration configuration, string dataDirectory, bool allowGenerate) =>
        new(
            Read(configuration[$"{AuditOptions.SectionName}:HashKey"], Path.Combine(dataDirectory, HashKeyFile), allowGenerate, "HashKey"),
            Read(configuration[$"{AuditOptions.SectionName}:SigningKey"], Path.Combine(dataDirectory, SigningKeyFile), allowGenerate, "SigningKey"));

    private static byte[] Read(string? configured, string file, bool allowGenerate, string name)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Decode(configured, $"{AuditOptions.SectionName}:{name}");
        }

        if (File.Exists(file))
        {
            return Decode(File.ReadAllText(file), file);
        }

        if (!allowGenerate)
        {
            throw new InvalidOperationException(
                $"No audit {name}: set {AuditOptions.SectionName}:{name} (base64 of at least {AuditKeys.MinimumKeyBytes} random bytes, the same on every silo).");
        }

        return Generate(file, name);
    }

    private static byte[] Generate(string file, string name)
    {
        var key = RandomNumberGenerator.GetBytes(AuditKeys.MinimumKeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(file, options);
            writer.Write(Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process generated it first: use theirs.
            return Decode(File.ReadAllText(file), name);
        }
    }

    private static byte[] Decode(string text, string source)
    {
        try
        {
            var key = Convert.FromBase64String(text.Trim());
            return key.Length >= AuditKeys.MinimumKeyBytes
                ? key
                : throw new InvalidOperationException($"The audit key from {source} is shorter than {AuditKeys.MinimumKeyBytes} bytes.");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The audit key from {source} is not valid base64.");
        }
    }
}
