using Synapse.Gateway.Hosting;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The gateway started from a folder without its <c>appsettings.json</c> reads the one it was
/// installed with, unless a content root is given or the working directory has its own.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    private readonly string _working = Folder();
    private readonly string _install = Folder();

    [Fact]
    public void AWorkingDirectoryWithoutTheSettings_GivesWayToTheInstallFolder()
    {
        File.WriteAllText(Path.Combine(_install, "appsettings.json"), "{}");

        Assert.Equal(_install, ContentRoot.Locate([], _working, _install, _ => null));
    }

    [Fact]
    public void AWorkingDirectoryWithItsOwnSettings_IsKept()
    {
        File.WriteAllText(Path.Combine(_install, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(_working, "appsettings.json"), "{}");

        Assert.Null(ContentRoot.Locate([], _working, _install, _ => null));
    }

    [Theory]
    [InlineData("--contentRoot=/srv/synapse", null)]
    [InlineData("--contentroot", null)]
    [InlineData(null, "ASPNETCORE_CONTENTROOT")]
    [InlineData(null, "DOTNET_CONTENTROOT")]
    public void AContentRootGiven_IsLeftToAspNetCore(string? argument, string? variable)
    {
        File.WriteAllText(Path.Combine(_install, "appsettings.json"), "{}");

        Assert.Null(ContentRoot.Locate(argument is null ? [] : [argument], _working, _install, name => name == variable ? "/srv/synapse" : null));
    }

    [Fact]
    public void NoSettingsAnywhere_KeepsTheDefault()
    {
        Assert.Null(ContentRoot.Locate([], _working, _install, _ => null));
    }

    public void Dispose()
    {
        Directory.Delete(_working, recursive: true);
        Directory.Delete(_install, recursive: true);
    }

    private static string Folder() => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "synapse-tests", "root-" + Guid.NewGuid().ToString("N"))).FullName;
}
