using Microsoft.Extensions.Configuration;
using Synapse.Audit;

namespace Synapse.Hosting;

/// <summary>
/// Where the all-in-one mode keeps its database and checkpoints (not its audit keys: see
/// <c>Synapse:Audit:KeyDirectory</c>). Created owner-only (0700) when missing.
/// </summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "Synapse:DataDirectory";

    public static string Resolve(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : "data");
        OwnerOnlyFiles.CreateDirectory(path);
        return path;
    }
}
