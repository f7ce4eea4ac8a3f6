namespace Synapse.Gateway.Hosting;

/// <summary>
/// Where the gateway reads <c>appsettings.json</c> (and its console, <c>wwwroot</c>) from. ASP.NET
/// Core takes the working directory, so <c>dotnet /opt/synapse/Synapse.Gateway.Api.dll</c> started
/// from elsewhere (a systemd unit, another folder) silently ran without the file: no log levels and
/// no default provider. The working directory still wins when it holds the file or when a content
/// root is given (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>);
/// otherwise the folder the gateway was installed in does.
/// </summary>
internal static class ContentRoot
{
    private const string SettingsFile = "appsettings.json";

    /// <summary>The content root to set, or <c>null</c> to keep ASP.NET Core's own choice.</summary>
    public static string? Locate(string[] args, string workingDirectory, string installDirectory, Func<string, string?> environment)
    {
        var given = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(environment("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(environment("DOTNET_CONTENTROOT"));
        if (given || File.Exists(Path.Combine(workingDirectory, SettingsFile)) || !File.Exists(Path.Combine(installDirectory, SettingsFile)))
        {
            return null;
        }

        return installDirectory;
    }
}
