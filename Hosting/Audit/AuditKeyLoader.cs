using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Synapse.Audit;
using Synapse.Configuration;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Reads the audit keys from <c>Synapse:Audit:HashKey</c> / <c>SigningKey</c> (base64, bound into
/// <see cref="AuditOptions"/>), else from
/// <c>audit-hash.key</c> / <c>audit-signing.key</c> in the key directory, generating those files
/// (owner-only) when allowed. The key directory is never the data directory: a signing key kept
/// beside the database would let whoever copies the data directory re-sign a rewritten log. A
/// hash key that the first release generated into the data directory is still read from there,
/// so the digests it made stay provable. Errors are one line naming the setting, never the key.
/// </summary>
/// <remarks>
/// The default key directory is <c>{DataDirectory}-audit-keys</c>, beside the data directory: it
/// belongs to the install, not to whoever runs it (a service under systemd, another user, a
/// container), and the audit tools pointed at a data directory find its keys. Releases before
/// defaulted to the user's configuration directory (<see cref="PreviousDefaultKeyDirectory"/>); for a
/// data directory that already holds signed checkpoints, keys found only there are copied beside it
/// at the next all-in-one start, with one line in the log, and read where they are by the audit
/// tools until then. A fresh data directory generates its own.
/// </remarks>
public static partial class AuditKeyLoader
{
    public const string HashKeyFile = "audit-hash.key";
    public const string SigningKeyFile = "audit-signing.key";

    private const string HashKeySetting = AuditOptions.SectionName + ":HashKey";
    private const string SigningKeySetting = AuditOptions.SectionName + ":SigningKey";
    private const string KeyDirectorySetting = AuditOptions.SectionName + ":KeyDirectory";

    /// <summary>What the default key directory is named after: the data directory's own path, with this added.</summary>
    public const string DefaultKeyDirectorySuffix = "-audit-keys";

    /// <param name="allowGenerate">Generate a missing key into the key directory (all-in-one only).</param>
    /// <param name="clustered">
    /// A cluster's processes must share their keys, so they come from the settings or from a key
    /// directory named explicitly, never from this user's default directory: a key left there by
    /// an all-in-one run on the same machine would silently differ from the other silos' keys.
    /// </param>
    /// <param name="logger">Where the one line about keys copied from the previous default directory goes.</param>
    public static AuditKeys Load(AuditOptions options, string dataDirectory, bool allowGenerate, bool clustered = false, ILogger? logger = null) =>
        Load(options, dataDirectory, allowGenerate, clustered, logger, PreviousDefaultKeyDirectory());

    /// <param name="previousDefault">The key directory of earlier releases (a test's own, instead of this user's).</param>
    internal static AuditKeys Load(AuditOptions options, string dataDirectory, bool allowGenerate, bool clustered, ILogger? logger, string? previousDefault) =>
        Read(options, dataDirectory, allowGenerate, clustered, generate: true, logger, previousDefault);

    /// <summary>
    /// The problem <see cref="Load"/> would stop at, as one line naming the setting, or null when
    /// the keys are there (or may be generated): checked at start, generating nothing.
    /// </summary>
    public static string? Problem(AuditOptions options, string dataDirectory, bool allowGenerate, bool clustered)
    {
        try
        {
            Read(options, dataDirectory, allowGenerate, clustered, generate: false, logger: null, PreviousDefaultKeyDirectory());
            return null;
        }
        catch (StartupConfigurationException e)
        {
            return e.Message;
        }
    }

    private static AuditKeys Read(AuditOptions options, string dataDirectory, bool allowGenerate, bool clustered, bool generate, ILogger? logger, string? previousDefault)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuredHash = options.HashKey;
        var configuredSigning = options.SigningKey;
        if (!string.IsNullOrWhiteSpace(configuredHash) && !string.IsNullOrWhiteSpace(configuredSigning))
        {
            return new AuditKeys(Decode(configuredHash, HashKeySetting), Decode(configuredSigning, SigningKeySetting), SigningKeySetting);
        }

        if (clustered && string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            var missing = string.IsNullOrWhiteSpace(configuredHash) ? HashKeySetting : SigningKeySetting;
            throw new StartupConfigurationException(
                $"No audit key: set {missing} (base64 of at least {AuditKeys.MinimumKeyBytes} random bytes, e.g. from 'openssl rand -base64 32'; the same on every silo and front end).");
        }

        var keyDirectory = KeyDirectory(options, dataDirectory);
        if (string.IsNullOrWhiteSpace(options.KeyDirectory) && !HoldsKeys(keyDirectory) && previousDefault is { } previous && HoldsKeys(previous)
            && HasAuditHistory(options, dataDirectory, clustered))
        {
            keyDirectory = generate && allowGenerate ? CopyKeys(previous, keyDirectory, logger) : previous;
        }

        var legacyHashFile = Path.Combine(dataDirectory, HashKeyFile);
        var hashKey = !string.IsNullOrWhiteSpace(configuredHash) ? Decode(configuredHash, HashKeySetting)
            : !File.Exists(Path.Combine(keyDirectory, HashKeyFile)) && File.Exists(legacyHashFile) ? Decode(File.ReadAllText(legacyHashFile), legacyHashFile)
            : ReadOrGenerate(Path.Combine(keyDirectory, HashKeyFile), allowGenerate, generate, HashKeySetting);
        var (signingKey, source) = !string.IsNullOrWhiteSpace(configuredSigning)
            ? (Decode(configuredSigning, SigningKeySetting), SigningKeySetting)
            : (ReadOrGenerate(Path.Combine(keyDirectory, SigningKeyFile), allowGenerate, generate, SigningKeySetting), Path.Combine(keyDirectory, SigningKeyFile));
        return new AuditKeys(hashKey, signingKey, source);
    }

    /// <summary>
    /// The key the first release signed its checkpoints with, for sealing such a log: a file given
    /// explicitly, else the first release's <c>{dataDirectory}/audit-signing.key</c>, else the
    /// configured signing key (a cluster kept the same one).
    /// </summary>
    public static byte[]? LoadLegacySigningKey(AuditOptions options, string dataDirectory, string? file)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = file ?? Path.Combine(dataDirectory, SigningKeyFile);
        return File.Exists(path) ? Decode(File.ReadAllText(path), path)
            : file is not null ? throw new StartupConfigurationException($"The legacy signing key file {file} does not exist.")
            : options.SigningKey is { Length: > 0 } configured ? Decode(configured, SigningKeySetting)
            : null;
    }

    /// <summary>
    /// <c>Synapse:Audit:KeyDirectory</c>, else <c>{DataDirectory}-audit-keys</c> beside the data
    /// directory; never inside the data directory.
    /// </summary>
    public static string KeyDirectory(AuditOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.KeyDirectory;
        var dataPath = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (string.IsNullOrWhiteSpace(configured) && Path.GetDirectoryName(dataPath) is null)
        {
            throw new StartupConfigurationException($"Set {KeyDirectorySetting}: the data directory ({dataDirectory}) is a file system root, so there is no directory beside it to keep the generated audit keys in.");
        }

        var directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? dataPath + DefaultKeyDirectorySuffix : configured);
        var data = dataPath + Path.DirectorySeparatorChar;
        if ((directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar).StartsWith(data, StringComparison.Ordinal))
        {
            throw new StartupConfigurationException($"{KeyDirectorySetting} must not be inside the data directory ({dataDirectory}): a signing key kept beside the database lets whoever holds the data directory re-sign a rewritten audit log.");
        }

        return directory;
    }

    /// <summary>The default key directory of releases before this one: the user's configuration directory, when the user has one.</summary>
    public static string? PreviousDefaultKeyDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, "synapse", "audit-keys");
    }

    /// <summary>
    /// Whether an earlier start of this install signed audit checkpoints: only then were its rows
    /// written with the previous default's keys. A fresh data directory gets keys of its own, not
    /// those another install of the same user left behind.
    /// </summary>
    private static bool HasAuditHistory(AuditOptions options, string dataDirectory, bool clustered)
    {
        var checkpoints = AuditServiceCollectionExtensions.CheckpointDirectory(options, dataDirectory, clustered);
        return Directory.Exists(checkpoints) && Directory.EnumerateFiles(checkpoints).Any();
    }

    private static bool HoldsKeys(string directory) =>
        File.Exists(Path.Combine(directory, HashKeyFile)) || File.Exists(Path.Combine(directory, SigningKeyFile));

    /// <summary>
    /// Copies the keys of the previous default directory into the new one and returns the new one.
    /// Copied, not moved: that directory was every all-in-one install's of this user, so another
    /// data directory may still need them there.
    /// </summary>
    private static string CopyKeys(string from, string to, ILogger? logger)
    {
        foreach (var name in new[] { HashKeyFile, SigningKeyFile })
        {
            var source = Path.Combine(from, name);
            if (!File.Exists(source))
            {
                continue;
            }

            var text = File.ReadAllText(source);
            Decode(text, source);
            CreateKeyDirectory(to);
            try
            {
                OwnerOnlyFiles.WriteNew(Path.Combine(to, name), text.Trim());
            }
            catch (IOException) when (File.Exists(Path.Combine(to, name)))
            {
                // Another process of this install copied it first.
            }
        }

        if (logger is not null)
        {
            Log.KeysCopied(logger, from, to);
        }

        return to;
    }

    /// <summary>The key directory, created owner-only; a directory this user may not create stops the start with one line.</summary>
    private static void CreateKeyDirectory(string directory)
    {
        try
        {
            OwnerOnlyFiles.CreateDirectory(directory);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new StartupConfigurationException($"The audit key directory {directory} cannot be created ({e.GetType().Name}): set {KeyDirectorySetting} to a directory this user may write, outside the data directory.");
        }
    }

    private static byte[] ReadOrGenerate(string file, bool allowGenerate, bool generate, string setting)
    {
        if (File.Exists(file))
        {
            return Decode(File.ReadAllText(file), file);
        }

        if (!allowGenerate)
        {
            // Named, since the directory is often the wrong one: the audit tools run as another
            // user (another home directory) or with another Synapse:Audit:KeyDirectory than the gateway.
            throw new StartupConfigurationException(
                $"No audit key in {Path.GetDirectoryName(file)} (no {Path.GetFileName(file)} there; {KeyDirectorySetting} names the directory): point {KeyDirectorySetting} at the directory holding the gateway's keys, or set {setting} (base64 of at least {AuditKeys.MinimumKeyBytes} random bytes, e.g. from 'openssl rand -base64 32'; the same on every silo and front end).");
        }

        if (!generate)
        {
            return new byte[AuditKeys.MinimumKeyBytes]; // a check only: the key is generated when it is loaded
        }

        var key = RandomNumberGenerator.GetBytes(AuditKeys.MinimumKeyBytes);
        CreateKeyDirectory(Path.GetDirectoryName(file)!);
        try
        {
            OwnerOnlyFiles.WriteNew(file, Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process generated it first: use theirs.
            return Decode(File.ReadAllText(file), file);
        }
    }

    private static byte[] Decode(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new StartupConfigurationException($"The audit key from {source} is not valid base64.");
        }

        return key.Length >= AuditKeys.MinimumKeyBytes
            ? key
            : throw new StartupConfigurationException($"The audit key from {source} is shorter than {AuditKeys.MinimumKeyBytes} bytes.");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Audit keys copied from {PreviousDirectory}, the key directory of earlier releases, to {KeyDirectory}, the default beside the data directory; the originals are left in place (Synapse:Audit:KeyDirectory chooses another directory)")]
        public static partial void KeysCopied(ILogger logger, string previousDirectory, string keyDirectory);
    }
}
