using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Hosting.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// The default key directory belongs to the install, beside its data directory, not to the user
/// who runs it; keys that earlier releases generated into the user's configuration directory are
/// copied there once, with one line in the log, so existing installs keep verifying.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditKeyDirectoryTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _dataDirectory = AuditHarness.NewDataDirectory();
    private readonly string _previousDefault = AuditHarness.NewDataDirectory() + "-home/.config/synapse/audit-keys";
    private readonly FakeLogger _logger = new();

    private string DefaultDirectory => _dataDirectory + "-audit-keys";

    [Fact]
    public void TheDefaultKeyDirectory_IsBesideTheDataDirectory_NamedAfterIt()
    {
        Assert.Equal("/srv/synapse/data-audit-keys", AuditKeyLoader.KeyDirectory(new AuditOptions(), "/srv/synapse/data/"));
        Assert.Equal(Path.GetFullPath("data-audit-keys"), AuditKeyLoader.KeyDirectory(new AuditOptions(), "data"));
    }

    [Fact]
    public void AFreshInstall_GeneratesItsKeysBesideTheDataDirectory_OwnerOnly()
    {
        var keys = Load(allowGenerate: true);

        Assert.Equal(Path.Combine(DefaultDirectory, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        foreach (var file in new[] { AuditKeyLoader.HashKeyFile, AuditKeyLoader.SigningKeyFile })
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(DefaultDirectory, file)));
        }

        Assert.False(Directory.Exists(_previousDefault));
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void KeysOnlyInThePreviousDefault_AreCopiedBesideTheDataDirectory_WithOneLogLine()
    {
        var (hashKey, signingKey) = WriteKeys(_previousDefault);
        WriteAuditHistory();

        var keys = Load(allowGenerate: true);
        var again = Load(allowGenerate: true);

        Assert.Equal(Keys(hashKey, signingKey), Keys(keys));
        Assert.Equal(Keys(hashKey, signingKey), Keys(again));
        Assert.Equal(Path.Combine(DefaultDirectory, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        foreach (var file in new[] { AuditKeyLoader.HashKeyFile, AuditKeyLoader.SigningKeyFile })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(_previousDefault, file)), File.ReadAllText(Path.Combine(DefaultDirectory, file)));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(DefaultDirectory, file)));
        }

        var line = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains(_previousDefault, line.Message, StringComparison.Ordinal);
        Assert.Contains(DefaultDirectory, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(signingKey), line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAuditTools_ReadKeysOnlyInThePreviousDefault_WhereTheyAre()
    {
        var (hashKey, signingKey) = WriteKeys(_previousDefault);
        WriteAuditHistory();

        var keys = Load(allowGenerate: false);

        Assert.Equal(Keys(hashKey, signingKey), Keys(keys));
        Assert.Equal(Path.Combine(_previousDefault, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        Assert.False(Directory.Exists(DefaultDirectory));
    }

    [Fact]
    public void AFreshDataDirectory_GeneratesKeysOfItsOwn_NotThePreviousDefaults()
    {
        var (hashKey, signingKey) = WriteKeys(_previousDefault);

        var keys = Load(allowGenerate: true);

        Assert.Equal(Path.Combine(DefaultDirectory, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        Assert.NotEqual(Convert.ToBase64String(signingKey), Keys(keys).Item2);
        Assert.NotEqual(Convert.ToBase64String(hashKey), Keys(keys).Item1);
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void KeysBesideTheDataDirectory_WinOverThePreviousDefault()
    {
        var (hashKey, signingKey) = WriteKeys(DefaultDirectory);
        WriteKeys(_previousDefault);

        var keys = Load(allowGenerate: true);

        Assert.Equal(Keys(hashKey, signingKey), Keys(keys));
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void AConfiguredKeyDirectory_NeverTakesThePreviousDefaultsKeys()
    {
        var (hashKey, signingKey) = WriteKeys(_previousDefault);
        var configured = _dataDirectory + "-configured";

        var keys = AuditKeyLoader.Load(new AuditOptions { KeyDirectory = configured }, _dataDirectory, allowGenerate: true, clustered: false, _logger, _previousDefault);

        Assert.NotEqual(Keys(hashKey, signingKey), Keys(keys));
        Assert.Equal(Path.Combine(configured, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void ADataDirectoryAtTheRoot_HasNoDefaultKeyDirectory_AndSaysWhichSettingToSet()
    {
        var error = Assert.Throws<StartupConfigurationException>(() => AuditKeyLoader.KeyDirectory(new AuditOptions(), "/"));

        Assert.StartsWith("Set Synapse:Audit:KeyDirectory:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyDirectoryThatCannotBeCreated_StopsTheStart_WithOneLineNamingTheSetting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DefaultDirectory)!);
        File.WriteAllText(DefaultDirectory, "a file where the directory would go");

        var error = Assert.Throws<StartupConfigurationException>(() => Load(allowGenerate: true));

        Assert.StartsWith($"The audit key directory {DefaultDirectory} cannot be created", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Synapse:Audit:KeyDirectory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private AuditKeys Load(bool allowGenerate) =>
        AuditKeyLoader.Load(new AuditOptions(), _dataDirectory, allowGenerate, clustered: false, _logger, _previousDefault);

    /// <summary>A signed checkpoint where the install keeps them: an audit log written before.</summary>
    private void WriteAuditHistory()
    {
        var checkpoints = AuditServiceCollectionExtensions.CheckpointDirectory(new AuditOptions(), _dataDirectory, clustered: false);
        Directory.CreateDirectory(checkpoints);
        File.WriteAllText(Path.Combine(checkpoints, "manifest.jsonl"), "{}");
    }

    private static (byte[] HashKey, byte[] SigningKey) WriteKeys(string directory)
    {
        Directory.CreateDirectory(directory);
        var hashKey = RandomNumberGenerator.GetBytes(32);
        var signingKey = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(Path.Combine(directory, AuditKeyLoader.HashKeyFile), Convert.ToBase64String(hashKey));
        File.WriteAllText(Path.Combine(directory, AuditKeyLoader.SigningKeyFile), Convert.ToBase64String(signingKey));
        return (hashKey, signingKey);
    }

    /// <summary>The two keys, to compare (a test's own keys, never a real install's).</summary>
    private static (string, string) Keys(AuditKeys keys) =>
        (Convert.ToBase64String(keys.HashKey), Convert.ToBase64String(keys.SigningKey));

    private static (string, string) Keys(byte[] hashKey, byte[] signingKey) => Keys(new AuditKeys(hashKey, signingKey));
}
