using System.Text.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The README's run command (<c>dotnet run --project Gateway.Api</c>, and <c>--project Silo</c> for
/// the audit tools) names no configuration; it must still build optimised code, since that is the
/// gateway a new user starts and times (a Debug build cost 1.43× the CPU per request). MSBuild
/// evaluates each project as that command does, with no configuration given.
/// </summary>
public sealed class RunCommandConfigurationTests
{
    [Theory]
    [InlineData("Gateway.Api/Gateway.Api.csproj")]
    [InlineData("Silo/Silo.csproj")]
    public async Task AProjectBuiltWithoutAConfiguration_IsReleaseAndOptimised(string project)
    {
        var properties = await EvaluateAsync(project);

        Assert.Equal("Release", properties.GetProperty("Configuration").GetString());
        Assert.Equal("true", properties.GetProperty("Optimize").GetString());
    }

    [Fact]
    public async Task AnExplicitConfiguration_StillWins()
    {
        var properties = await EvaluateAsync("Gateway.Api/Gateway.Api.csproj", "-p:Configuration=Debug");

        Assert.Equal("Debug", properties.GetProperty("Configuration").GetString());
        Assert.Equal("false", properties.GetProperty("Optimize").GetString());
    }

    private static async Task<JsonElement> EvaluateAsync(string project, params string[] extra)
    {
        // MSBuild reads environment variables as properties: a Configuration in the test's own
        // environment would answer for the command under test.
        var output = await CommandLine.RunAsync(
            "dotnet", RepositoryFiles.Root, new Dictionary<string, string?> { ["Configuration"] = null },
            ["msbuild", RepositoryFiles.PathOf(project.Split('/')), "-getProperty:Configuration", "-getProperty:Optimize", .. extra]);
        return JsonDocument.Parse(output).RootElement.GetProperty("Properties").Clone();
    }
}
