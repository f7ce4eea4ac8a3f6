using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>
/// Where the audit log's files and keys go, and what start-up refuses: data files owner-only,
/// generated keys outside the data directory, and one clear line naming a bad setting.
/// </summary>
[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditStartupTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task AllInOne_CreatesEveryDataFileOwnerOnly_AndKeepsTheKeysOutOfTheDataDirectory()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"), dataDirectory);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);
        (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "files" } } })).EnsureSuccessStatusCode();
        var keyDirectory = dataDirectory + "-keys";

        // While it runs: the database with its write-ahead log and shared memory, the manifest's
        // copy, the keys, and the marker that grain state is sealed.
        string[] files =
        [
            Path.Combine(dataDirectory, SynapseDatabase.SqliteFileName),
            Path.Combine(dataDirectory, SynapseDatabase.SqliteFileName + "-wal"),
            Path.Combine(dataDirectory, SynapseDatabase.SqliteFileName + "-shm"),
            .. Directory.GetFiles(Path.Combine(dataDirectory, "audit-checkpoints")),
            Path.Combine(keyDirectory, AuditKeyLoader.HashKeyFile),
            Path.Combine(keyDirectory, AuditKeyLoader.SigningKeyFile),
            Path.Combine(keyDirectory, GrainStateSealing.MarkerFileName),
        ];
        Assert.Equal(7, files.Length);
        Assert.All(files, f => Assert.Equal((f, OwnerOnlyFile), (f, File.GetUnixFileMode(f))));
        Assert.All([Path.Combine(dataDirectory, "audit-checkpoints"), keyDirectory], d => Assert.Equal((d, OwnerOnlyDirectory), (d, File.GetUnixFileMode(d))));
        Assert.Empty(Directory.GetFiles(dataDirectory, "*.key", SearchOption.AllDirectories));
        var verified = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!;
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
    }

    [Fact]
    public void TheDataDirectory_IsCreatedOwnerOnly()
    {
        var path = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"), "data");

        DataDirectory.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [DataDirectory.ConfigurationKey] = path }).Build());

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task ADatabaseAnEarlierReleaseMadeReadableToOthers_IsMadeOwnerOnly()
    {
        var directory = AuditHarness.NewDataDirectory();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, SynapseDatabase.SqliteFileName);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        File.SetUnixFileMode(path, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SynapseDatabase.ForSqliteFile(path);

        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("Synapse:Audit:SigningKey", "not-base64!", "Synapse:Audit:SigningKey is not valid base64")]
    [InlineData("Synapse:Audit:SigningKey", "c2hvcnQ=", "Synapse:Audit:SigningKey is shorter than 32 bytes")]
    [InlineData("Synapse:Audit:HashKey", "", "point Synapse:Audit:KeyDirectory at the directory holding the gateway's keys, or set Synapse:Audit:HashKey")]
    [InlineData("Synapse:Audit:CheckpointDirectory", "", "Set Synapse:Audit:CheckpointDirectory")]
    [InlineData("Synapse:Audit:CheckpointInterval", "00:00:00", "Synapse:Audit:CheckpointInterval must be")]
    public async Task ASiloWithABadAuditSetting_ExitsWithOneLineNamingIt(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=never;Username=never",
            ["Synapse:Audit:HashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Synapse:Audit:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Synapse:Audit:CheckpointDirectory"] = AuditHarness.NewDataDirectory(),

            // An empty key directory of its own: keys an all-in-one run generated for this user
            // (~/.config/synapse/audit-keys) would otherwise stand in for a missing setting.
            ["Synapse:Audit:KeyDirectory"] = AuditHarness.NewDataDirectory() + "-keys",
            [key] = value,
        };

        var (exitCode, output, errors) = await SiloProcess.RunCommandAsync(settings, AuditHarness.NewDataDirectory());

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-base64!", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// The all-in-one examined from a checkout: <c>dotnet run --project Silo -- audit verify</c>
    /// reads <c>./data</c> under the working directory, while <c>dotnet run --project Gateway.Api</c>
    /// keeps its data in <c>Gateway.Api/data</c>. The command made an empty <c>./data/synapse.db</c>
    /// and failed with "no such table".
    /// </summary>
    [Theory]
    [InlineData("verify")]
    [InlineData("prove", "--id", "1", "--text-file", "/dev/null")]
    [InlineData("seal-legacy")]
    public async Task AnAuditCommand_WithNoDatabaseInTheDataDirectory_NamesThePathAndTheSetting_AndCreatesNothing(params string[] command)
    {
        var workingDirectory = AuditHarness.NewDataDirectory();
        var settings = new Dictionary<string, string?> { ["Synapse:Audit:KeyDirectory"] = workingDirectory + "-keys" };

        var (exitCode, output, errors) = await ChildProcess.RunAsync(SiloProcess.Assembly, settings, workingDirectory, ["audit", .. command]);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {output}{errors}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"audit: No audit log at {Path.Combine(workingDirectory, "data", "synapse.db")}: set Synapse:DataDirectory", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(workingDirectory));
        Assert.False(Directory.Exists(workingDirectory + "-keys"));
    }

    [Fact]
    public void AMissingAuditKey_ThatMayNotBeGenerated_NamesTheKeyDirectoryItLookedIn()
    {
        var dataDirectory = AuditHarness.NewDataDirectory();
        var keyDirectory = dataDirectory + "-keys";
        var options = new Synapse.Audit.AuditOptions { KeyDirectory = keyDirectory };

        var error = Assert.Throws<StartupConfigurationException>(() => AuditKeyLoader.Load(options, dataDirectory, allowGenerate: false));

        Assert.StartsWith($"No audit key in {keyDirectory} (no audit-hash.key there; Synapse:Audit:KeyDirectory names the directory)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AKeyDirectoryInsideTheDataDirectory_IsRefused()
    {
        var dataDirectory = AuditHarness.NewDataDirectory();
        var options = new Synapse.Audit.AuditOptions { KeyDirectory = Path.Combine(dataDirectory, "keys") };

        var error = Assert.Throws<StartupConfigurationException>(() => AuditKeyLoader.Load(options, dataDirectory, allowGenerate: true));

        Assert.StartsWith("Synapse:Audit:KeyDirectory must not be inside the data directory", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "keys")));
    }

    [Fact]
    public void AHashKeyTheFirstReleaseKeptInTheDataDirectory_IsStillUsed_ButItsSigningKeyIsNot()
    {
        var dataDirectory = AuditHarness.NewDataDirectory();
        Directory.CreateDirectory(dataDirectory);
        var firstReleaseHashKey = RandomNumberGenerator.GetBytes(32);
        var firstReleaseSigningKey = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(Path.Combine(dataDirectory, AuditKeyLoader.HashKeyFile), Convert.ToBase64String(firstReleaseHashKey));
        File.WriteAllText(Path.Combine(dataDirectory, AuditKeyLoader.SigningKeyFile), Convert.ToBase64String(firstReleaseSigningKey));
        var keyDirectory = dataDirectory + "-keys";
        var options = new Synapse.Audit.AuditOptions { KeyDirectory = keyDirectory };

        var keys = AuditKeyLoader.Load(options, dataDirectory, allowGenerate: true);

        var digester = new Synapse.Audit.AuditDigester(keys);
        Assert.Equal(new Synapse.Audit.AuditDigester(new Synapse.Audit.AuditKeys(firstReleaseHashKey, firstReleaseSigningKey)).Prompt("x"), digester.Prompt("x"));
        Assert.Equal(Path.Combine(keyDirectory, AuditKeyLoader.SigningKeyFile), keys.SigningKeySource);
        Assert.NotEqual(Convert.ToBase64String(firstReleaseSigningKey), File.ReadAllText(Path.Combine(keyDirectory, AuditKeyLoader.SigningKeyFile)));
        Assert.False(File.Exists(Path.Combine(keyDirectory, AuditKeyLoader.HashKeyFile)));
    }

    [Fact]
    public async Task ASigningKeyThatDoesNotVerifyTheLog_StopsTheStart_SayingWhichKey()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var signingKeyFile = Path.Combine(dataDirectory + "-keys", AuditKeyLoader.SigningKeyFile);
        await (await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory)).DisposeAsync();

        // The key lost (a container recreated without its key volume) and generated anew.
        File.Delete(signingKeyFile);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory));

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("does not verify the audit log's manifest", messages, StringComparison.Ordinal);
        Assert.Contains(signingKeyFile, messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseReplacedUnderItsCheckpointDirectory_StopsTheStart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        await (await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory)).DisposeAsync();

        // The database deleted (or swapped for an empty one); the manifest's copy outside it is still there.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(dataDirectory, SynapseDatabase.SqliteFileName + "*"))
        {
            File.Delete(file);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory));

        Assert.Contains("holds audit manifest records but the database holds none", string.Join(" | ", Flatten(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception e) =>
        e is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Flatten)
        : e.InnerException is { } inner ? [e, .. Flatten(inner)]
        : [e];
}
