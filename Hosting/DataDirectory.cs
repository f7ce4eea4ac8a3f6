using Microsoft.Extensions.Configuration;

namespace Synapse.Hosting;

/// <summary>Where the all-in-one mode keeps its database and generated secrets.</summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "Synapse:DataDirectory";

    public static string Resolve(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : "data");
        Directory.CreateDirectory(path);
        return path;
    }
}
