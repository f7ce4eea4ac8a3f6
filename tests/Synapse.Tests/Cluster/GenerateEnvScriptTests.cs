using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// <c>deploy/generate-env.sh .env</c>, the documented first step of the compose cluster: the file
/// holds the database passwords, the admin token and the audit signing key, so it is created
/// owner-only, and a second run leaves it as it is (new audit keys would verify none of the rows
/// already written). <c>&gt; .env</c> made it world-readable and silently replaced the keys.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GenerateEnvScriptTests
{
    private static readonly string Script = RepositoryFiles.PathOf("deploy", "generate-env.sh");

    [Fact]
    public async Task GivenAFile_WritesItOwnerOnly_WithAValueForEverySettingOfTheExample()
    {
        var work = Directory.CreateTempSubdirectory("synapse-env-").FullName;
        var file = Path.Combine(work, ".env");

        var (exitCode, _, errors) = await RunAsync(work, file);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var written = Settings(await File.ReadAllLinesAsync(file));
        var example = Settings(await File.ReadAllLinesAsync(RepositoryFiles.PathOf(".env.example")));
        Assert.Equal(example.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
        Assert.All(written, setting => Assert.False(string.IsNullOrEmpty(setting.Value), setting.Key));
    }

    [Fact]
    public async Task GivenAFileThatExists_LeavesItAsItIs_AndFails()
    {
        var work = Directory.CreateTempSubdirectory("synapse-env-").FullName;
        var file = Path.Combine(work, ".env");
        Assert.Equal(0, (await RunAsync(work, file)).ExitCode);
        var first = await File.ReadAllTextAsync(file);

        var (exitCode, output, errors) = await RunAsync(work, file);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{file} exists and is left as it is", errors, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.Equal(first, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task WithoutAFile_PrintsTheSettings()
    {
        var work = Directory.CreateTempSubdirectory("synapse-env-").FullName;

        var (exitCode, output, errors) = await RunAsync(work);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("SYNAPSE_AUDIT_SIGNING_KEY", Settings(output.Split('\n')).Keys);
        Assert.Empty(Directory.EnumerateFileSystemEntries(work));
    }

    private static Dictionary<string, string> Settings(IEnumerable<string> lines) =>
        lines.Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static Task<(int ExitCode, string Output, string Errors)> RunAsync(string workingDirectory, params string[] arguments) =>
        CommandLine.ExecuteAsync("/bin/sh", workingDirectory, new Dictionary<string, string?>(), [Script, .. arguments]);
}
